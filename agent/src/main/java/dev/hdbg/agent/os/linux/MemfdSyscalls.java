package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * memfd_create (319): an anonymous file that lives in memory, as Linux's tmpfs one. It is a file of the program's own
 * {@code /dev/shm} directory on the host ({@link PrivateDirectories}), opened for reading and writing and unlinked
 * at once: no process can open it by a name, and it lasts while a descriptor or a mapping holds it. Reads, writes,
 * {@code ftruncate}, {@code fstat}, shared mappings and a fork's child sharing it are then what {@link HostFile} and
 * the guest's memory do for any shared file. Its name is Linux's, {@code /memfd:NAME (deleted)}, in
 * {@code /proc/self/fd} and {@code /proc/self/maps}, and its mode 0777, or 0666 with {@code MFD_NOEXEC_SEAL}.
 *
 * <p>Its seals ({@link MemfdSeals}) are the agent's own, as Linux keeps them: sealed against seals unless
 * {@code MFD_ALLOW_SEALING}, sealed against execution with {@code MFD_NOEXEC_SEAL}. Huge pages ({@code MFD_HUGETLB})
 * are not emulated: EINVAL and a notice.
 */
final class MemfdSyscalls {
    static final int MFD_CLOEXEC = 0x1;
    static final int MFD_ALLOW_SEALING = 0x2;
    static final int MFD_HUGETLB = 0x4;
    static final int MFD_NOEXEC_SEAL = 0x8;
    static final int MFD_EXEC = 0x10;
    /** Linux's limit on the name in bytes: NAME_MAX less the {@code memfd:} prefix. */
    static final int MAX_NAME_BYTES = 249;

    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;

    MemfdSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
    }

    void register(Map<Integer, Handler> table) {
        table.put(319, a -> create(a.a0(), a.i(1)));
    }

    /** Linux's order: the flags, then the name. */
    private long create(long nameAddress, int flags) throws IOException {
        if ((flags & MFD_HUGETLB) != 0) {
            process.io().notice("memfd_create with MFD_HUGETLB: huge pages are not emulated, the call fails with EINVAL");
            throw new SyscallException(Errno.EINVAL);
        }
        if ((flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL | MFD_EXEC)) != 0
                || (flags & (MFD_NOEXEC_SEAL | MFD_EXEC)) == (MFD_NOEXEC_SEAL | MFD_EXEC)) {
            throw new SyscallException(Errno.EINVAL);
        }
        String name = user.cString(nameAddress);
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean noExec = (flags & MFD_NOEXEC_SEAL) != 0;
        MemfdSeals seals = new MemfdSeals(noExec ? MemfdSeals.F_SEAL_EXEC
                : (flags & MFD_ALLOW_SEALING) != 0 ? 0 : MemfdSeals.F_SEAL_SEAL);
        Path host = Files.createTempFile(process.table().privateDirectories().sharedMemory().directory(), "memfd-", "");
        try {
            Files.setPosixFilePermissions(host, PosixFilePermissions.fromString(noExec ? "rw-rw-rw-" : "rwxrwxrwx"));
            FileChannel channel = FileChannel.open(host, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                HostFile file = new HostFile(host, "/memfd:" + name + HostFile.DELETED, channel, OpenFile.O_RDWR,
                        seals);
                return fds.install(file, 0, (flags & MFD_CLOEXEC) != 0);
            } catch (RuntimeException e) {
                channel.close(); // no descriptor was free (EMFILE): nothing holds the file
                throw e;
            }
        } finally {
            Files.deleteIfExists(host); // its descriptor holds it now, nameless, as Linux's memfd
        }
    }
}
