package dev.hdbg.agent.os.linux;

import java.util.List;
import java.util.function.Supplier;

/**
 * Something beneath {@code /proc}, {@code /sys} or {@code /dev} as the guest sees it: the agent makes these up from
 * the process's own state instead of showing the host's (with {@code --root /}, the host's {@code /proc/self} is the
 * agent itself, its memory, environment and open files).
 */
sealed interface VirtualNode {
    /** A directory and the names in it, "." and ".." not included, listed when it is read. */
    record Directory(Supplier<List<String>> names) implements VirtualNode {
        static Directory of(List<String> names) {
            List<String> copy = List.copyOf(names);
            return new Directory(() -> copy);
        }
    }

    /** A read-only file whose bytes are made when it is opened (Linux's proc files report size 0 too). */
    record File(Supplier<byte[]> content) implements VirtualNode {
    }

    /** A symbolic link; {@code /proc/self/exe} and the like read as their target. */
    record Link(String target) implements VirtualNode {
    }

    /**
     * A descriptor's magic link, {@code /proc/PID/fd/N} of {@code owner}: following it opens the same file description,
     * whether or not it has a path.
     */
    record Descriptor(LinuxProcess owner, int fd) implements VirtualNode {
        /** The open file. @throws SyscallException EBADF when it was closed since */
        OpenFile file() {
            return owner.fds().get(fd);
        }

        /** What the link reads: the file's path, when it has one ({@link VirtualFiles#pathOf}). */
        java.util.Optional<String> path() {
            return owner.virtualFiles().pathOf(fd);
        }

        /** The path a walk through the link goes on by ({@link Sandbox.Virtual#followedPathOf}). */
        java.util.Optional<String> followedPath() {
            return owner.virtualFiles().followedPathOf(fd);
        }
    }

    /** {@code /proc/PID/mem}: {@code process}'s memory ({@link ProcessMemoryFile}). */
    record ProcessMemory(LinuxProcess process) implements VirtualNode {
    }

    /** A character device. */
    record Device(Devices.Kind kind) implements VirtualNode {
    }

    /** A pseudo-terminal's slave, {@code /dev/pts/N} ({@link Terminal}). */
    record Pty(Terminal terminal) implements VirtualNode {
    }
}
