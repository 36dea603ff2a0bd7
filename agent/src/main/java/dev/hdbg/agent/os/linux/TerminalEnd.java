package dev.hdbg.agent.os.linux;

/**
 * One end of a {@link Terminal}: the master ({@code /dev/ptmx}'s descriptor) or a slave ({@code /dev/pts/N}), with
 * the terminal requests of ioctl: the termios (TCGETS and TCSETS*, on either end the slave's settings, as on Linux),
 * the window size, the master's TIOCGPTN, TIOCSPTLCK, TIOCGPTLCK and TIOCGPTPEER (glibc's openpty), and the
 * controlling terminal's TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCSPGRP and TIOCGSID (login_tty, shells' job control).
 */
final class TerminalEnd extends OpenFile {
    private static final int TCGETS = 0x5401;
    private static final int TCSETS = 0x5402;
    private static final int TCSETSW = 0x5403;
    private static final int TCSETSF = 0x5404;
    private static final int TCSBRK = 0x5409;
    private static final int TCXONC = 0x540a;
    private static final int TCFLSH = 0x540b;
    private static final int TIOCSCTTY = 0x540e;
    private static final int TIOCGPGRP = 0x540f;
    private static final int TIOCSPGRP = 0x5410;
    private static final int TIOCOUTQ = 0x5411;
    private static final int TIOCGWINSZ = 0x5413;
    private static final int TIOCSWINSZ = 0x5414;
    private static final int TIOCNOTTY = 0x5422;
    private static final int TIOCGSID = 0x5429;
    private static final int TIOCGPTN = 0x80045430;
    private static final int TIOCSPTLCK = 0x40045431;
    private static final int TIOCGPTLCK = 0x80045439;
    private static final int TIOCGPTPEER = 0x5441;

    private final Terminal terminal;
    private final boolean master;
    private final Terminals terminals;

    TerminalEnd(Terminal terminal, boolean master, int statusFlags, Terminals terminals) {
        super(statusFlags);
        this.terminal = terminal;
        this.master = master;
        this.terminals = terminals;
    }

    /** What /proc/self/fd names it: {@code /dev/ptmx} or {@code /dev/pts/N}. */
    String guestPath() {
        return master ? "/dev/ptmx" : "/dev/pts/" + terminal.index;
    }

    @Override
    int read(byte[] buffer) {
        return master ? terminal.masterRead(buffer, this) : terminal.slaveRead(buffer, this);
    }

    @Override
    int write(byte[] data) {
        return master ? terminal.masterWrite(data, this) : terminal.slaveWrite(data, this);
    }

    @Override
    boolean readReady() {
        return master ? terminal.masterReadReady() : terminal.slaveReadReady();
    }

    @Override
    boolean hungUp() {
        return master ? terminal.masterHungUp() : terminal.slaveHungUp();
    }

    @Override
    int available() {
        return master ? terminal.masterAvailable() : terminal.slaveAvailable();
    }

    @Override
    long ioctl(LinuxProcess process, int request, long argument) {
        UserMemory user = process.user();
        switch (request) {
            case TCGETS -> user.write(argument, terminal.termios());
            case TCSETS, TCSETSW, TCSETSF -> terminal.setTermios(user.read(argument, Termios.SIZE),
                    request == TCSETSF);
            case TIOCGWINSZ -> user.write(argument, terminal.windowSize());
            case TIOCSWINSZ -> terminal.setWindowSize(user.read(argument, 8));
            case TCSBRK, TCXONC -> {
                // tcdrain, tcsendbreak and tcflow: the bytes are already where they go
            }
            case TCFLSH -> {
                if (argument < 0 || argument > 2) {
                    throw new SyscallException(Errno.EINVAL);
                }
                terminal.flush((int) argument, master);
            }
            case TIOCOUTQ -> user.writeInt(argument, 0);
            case TIOCGPTN -> user.writeInt(argument, masterOnly().index);
            case TIOCSPTLCK -> masterOnly().setLocked(user.readInt(argument) != 0);
            case TIOCGPTLCK -> user.writeInt(argument, masterOnly().locked() ? 1 : 0);
            case TIOCGPTPEER -> {
                TerminalEnd slave = terminals.openSlave(masterOnly(), (int) argument & (O_ACCMODE | O_NONBLOCK));
                return process.fds().install(slave, 0, (argument & PathSyscalls.O_CLOEXEC) != 0); // open's flags
            }
            case TIOCSCTTY -> makeControlling(process);
            case TIOCNOTTY -> {
                requireControlling(process);
                if (process.pid() == process.session()) {
                    terminal.session = 0;
                    terminal.foreground = 0;
                }
            }
            case TIOCGPGRP -> user.writeInt(argument, (int) requireControlling(process).foreground);
            case TIOCSPGRP -> {
                requireControlling(process);
                int group = user.readInt(argument);
                if (group < 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (process.table().group(group).isEmpty()) {
                    throw new SyscallException(Errno.ESRCH);
                }
                terminal.foreground = group;
            }
            case TIOCGSID -> user.writeInt(argument, (int) requireControlling(process).session);
            default -> {
                return super.ioctl(process, request, argument);
            }
        }
        return 0;
    }

    private Terminal masterOnly() {
        if (!master) {
            throw new SyscallException(Errno.ENOTTY);
        }
        return terminal;
    }

    /** TIOCSCTTY: a session leader without a terminal takes this one, unless another session has it (EPERM). */
    private void makeControlling(LinuxProcess process) {
        if (terminal.session == process.session()) {
            return;
        }
        if (process.pid() != process.session() || terminal.session != 0
                || process.table().terminals().ofSession(process.session()).isPresent()) {
            throw new SyscallException(Errno.EPERM);
        }
        terminal.session = process.session();
        terminal.foreground = process.processGroup();
    }

    /** The requests about the controlling terminal: ENOTTY when this is not the caller's. */
    private Terminal requireControlling(LinuxProcess process) {
        if (terminal.session == 0 || terminal.session != process.session()) {
            throw new SyscallException(Errno.ENOTTY);
        }
        return terminal;
    }

    @Override
    void release() {
        if (master) {
            terminal.masterClosed();
        } else {
            terminal.slaveClosed();
        }
        terminals.closed(terminal);
    }

    @Override
    byte[] stat() {
        return master ? Devices.stat(Devices.Kind.PTMX) : terminal.slaveStat();
    }
}
