package dev.hdbg.agent.os.linux;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The character devices of the guest's {@code /dev}: none is the host's. */
final class Devices {
    /** A device the guest can open, with its number ({@code st_rdev}). */
    enum Kind {
        NULL(1, 3), ZERO(1, 5), FULL(1, 7), RANDOM(1, 8), URANDOM(1, 9), TTY(5, 0), PTMX(5, 2);

        final long rdev;

        Kind(int major, int minor) {
            this.rdev = (long) major << 8 | minor;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private Devices() {
    }

    /**
     * Opens {@code kind} for {@code process}: {@code /dev/ptmx} a new pseudo-terminal ({@link Terminals}), {@code
     * /dev/tty} the process's controlling terminal.
     *
     * @throws SyscallException ENXIO for {@code /dev/tty} when the process's session has no controlling terminal, as
     *                          under a harness whose streams are pipes
     */
    static OpenFile open(LinuxProcess process, Kind kind, int statusFlags) {
        Terminals terminals = process.table().terminals();
        return switch (kind) {
            case TTY -> terminals.openSlave(terminals.ofSession(process.session())
                    .orElseThrow(() -> new SyscallException(Errno.ENXIO)), statusFlags);
            case PTMX -> terminals.openMaster(statusFlags);
            case NULL -> StreamFile.nullDevice(statusFlags);
            default -> new Device(kind, statusFlags);
        };
    }

    /**
     * {@code /dev}; {@code shm} is listed when the sandbox has it (its files are the host's: {@link Sandbox}), {@code
     * pts} holds the machine's pseudo-terminals.
     */
    static VirtualNode node(List<String> rest, boolean shm, Terminals terminals) {
        if (rest.size() == 2 && rest.getFirst().equals("pts")) {
            try {
                return terminals.get(Integer.parseInt(rest.get(1))).<VirtualNode>map(VirtualNode.Pty::new).orElse(null);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (rest.isEmpty()) {
            List<String> names = new ArrayList<>(List.of("fd", "full", "null", "ptmx", "pts", "random", "stderr",
                    "stdin", "stdout", "tty", "urandom", "zero"));
            if (shm) {
                names.add("shm");
            }
            return VirtualNode.Directory.of(names);
        }
        if (rest.size() != 1) {
            return null;
        }
        return switch (rest.getFirst()) {
            case "null" -> new VirtualNode.Device(Devices.Kind.NULL);
            case "zero" -> new VirtualNode.Device(Devices.Kind.ZERO);
            case "full" -> new VirtualNode.Device(Devices.Kind.FULL);
            case "random" -> new VirtualNode.Device(Devices.Kind.RANDOM);
            case "urandom" -> new VirtualNode.Device(Devices.Kind.URANDOM);
            case "tty" -> new VirtualNode.Device(Devices.Kind.TTY);
            case "ptmx" -> new VirtualNode.Device(Devices.Kind.PTMX);
            case "pts" -> new VirtualNode.Directory(terminals::names);
            case "stdin" -> new VirtualNode.Link("/proc/self/fd/0");
            case "stdout" -> new VirtualNode.Link("/proc/self/fd/1");
            case "stderr" -> new VirtualNode.Link("/proc/self/fd/2");
            case "fd" -> new VirtualNode.Link("/proc/self/fd");
            default -> null;
        };
    }

    /** The name of the device {@code file} is open on, as /proc/self/fd's link reads it; empty for another file. */
    static java.util.Optional<String> pathOf(OpenFile file) {
        if (file instanceof Device device) {
            return java.util.Optional.of("/dev/" + device.kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        return file instanceof StreamFile stream && stream.isNullDevice() ? java.util.Optional.of("/dev/null")
                : java.util.Optional.empty();
    }

    static byte[] stat(Kind kind) {
        return Stat.synthetic(Stat.S_IFCHR | 0666, kind.rdev, kind.rdev, 0, 0);
    }

    /** /dev/zero, /dev/full, /dev/random and /dev/urandom. */
    private static final class Device extends OpenFile {
        private final Kind kind;

        Device(Kind kind, int statusFlags) {
            super(statusFlags);
            this.kind = kind;
        }

        @Override
        int read(byte[] buffer) {
            if (kind == Kind.RANDOM || kind == Kind.URANDOM) {
                RANDOM.nextBytes(buffer);
            } else {
                Arrays.fill(buffer, (byte) 0);
            }
            return buffer.length;
        }

        @Override
        int pread(byte[] buffer, long offset) {
            return read(buffer); // as Linux's pread of these: no offset to stay at
        }

        @Override
        int write(byte[] data) {
            if (kind == Kind.FULL) {
                throw new SyscallException(Errno.ENOSPC);
            }
            return data.length;
        }

        @Override
        long seek(long offset, int whence) {
            return 0; // seeking a character device succeeds and means nothing
        }

        @Override
        byte[] stat() {
            return Devices.stat(kind);
        }
    }
}
