package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A process's {@code /proc/PID/fd} and {@code fdinfo}: a magic link per open descriptor, and its offset, flags and
 * inode, as lsof, fuser and the program itself read them ({@link VirtualFiles} places them).
 */
final class DescriptorFiles {
    private DescriptorFiles() {
    }

    /** {@code fd/N}: the magic link of {@code owner}'s descriptor N; null when it is not open. */
    static VirtualNode link(LinuxProcess owner, String name) {
        try {
            int fd = Integer.parseInt(name);
            return owner.fds().isOpen(fd) ? new VirtualNode.Descriptor(owner, fd) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * {@code fdinfo/N}: the descriptor's offset (0 where it has none, a pipe's), its flags with O_CLOEXEC
     * in octal, and the file's inode, as lsof and Python's tests read them.
     */
    static VirtualNode info(LinuxProcess owner, String name) {
        if (!(link(owner, name) instanceof VirtualNode.Descriptor d)) {
            return null;
        }
        return file(() -> {
            OpenFile open = d.file();
            long position;
            long inode;
            try {
                position = open.seek(0, 1); // SEEK_CUR
            } catch (SyscallException | IOException e) {
                position = 0;
            }
            try {
                inode = Stat.inode(open.stat());
            } catch (SyscallException | IOException e) {
                inode = 0;
            }
            int flags = open.statusFlags() | (owner.fds().closeOnExec(d.fd()) ? PathSyscalls.O_CLOEXEC : 0);
            return "pos:\t" + position + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t1\nino:\t" + inode
                    + "\n";
        });
    }

    /** {@code fd/}'s and {@code fdinfo/}'s names: {@code owner}'s open descriptors. */
    static List<String> names(LinuxProcess owner) {
        return owner.fds().open().stream().map(String::valueOf).toList();
    }

    /** A descriptor link's permissions, as Linux gives them: its owner's read and write as the description has them. */
    static int linkMode(OpenFile file) {
        return switch (file.statusFlags() & OpenFile.O_ACCMODE) {
            case OpenFile.O_RDONLY -> 0500;
            case OpenFile.O_WRONLY -> 0300;
            default -> 0700;
        };
    }

    private static VirtualNode file(java.util.function.Supplier<String> text) {
        return new VirtualNode.File(() -> text.get().getBytes(StandardCharsets.UTF_8));
    }
}
