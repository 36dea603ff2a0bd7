package dev.hdbg.agent.os.linux;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A pseudo-terminal pair ({@code /dev/ptmx} and {@code /dev/pts/N}) and its line discipline, as Linux's n_tty does the
 * parts programs rely on: what the master writes is the slave's input, with ICRNL, INLCR and IGNCR, echoed (ECHO,
 * ECHOCTL's {@code ^C}, ECHOE's erase, ECHONL), edited into lines under ICANON (VERASE, VKILL, VWERASE, VEOF, VEOL)
 * and turned into signals under ISIG (VINTR, VQUIT, VSUSP to the foreground process group); what the slave writes is
 * the master's input, with OPOST's ONLCR and OCRNL. A canonical read takes at most one line; a raw one what is there
 * (a raw read returns what has arrived, at least a byte; with VMIN 0 it waits VTIME tenths of a second for one, then
 * returns 0; VMIN's count and VTIME's timer between bytes are not waited for).
 * When the master closes, the slave reads end of file and its writes fail with EIO; when every slave has closed, the
 * master's reads fail with EIO, as on Linux.
 */
final class Terminal {
    /** Each direction holds this much before a writer waits (Linux's pty buffers are about as large). */
    private static final int LIMIT = 64 * 1024;

    final int index;
    private final Scheduler scheduler;
    private final ProcessTable table;
    private final Termios termios = new Termios();
    private final ByteBuffer windowSize = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    /** The slave's input, as the line discipline queued it. */
    private final TerminalInput input = new TerminalInput();
    private final ByteArrayOutputStream toMaster = new ByteArrayOutputStream();
    private boolean locked = true;
    private boolean masterOpen = true;
    private int slaves;
    private boolean slaveEverOpened;
    /** The session this is the controlling terminal of (TIOCSCTTY), 0 for none; its foreground process group. */
    long session;
    long foreground;

    Terminal(int index, ProcessTable table) {
        this.index = index;
        this.table = table;
        this.scheduler = table.scheduler();
    }

    // ---- the master's side

    /** The master writes: each byte is the slave's input, through the line discipline. */
    int masterWrite(byte[] data, OpenFile caller) {
        if (input.length() >= LIMIT) {
            throw Blocked.unlessNonBlocking(caller, this);
        }
        for (byte b : data) {
            receive(b);
        }
        changed();
        return data.length;
    }

    int masterRead(byte[] buffer, OpenFile caller) {
        if (toMaster.size() == 0) {
            if (masterHungUp()) {
                throw new SyscallException(Errno.EIO); // the other side hung up, as Linux's pty master says
            }
            throw Blocked.unlessNonBlocking(caller, this);
        }
        byte[] all = toMaster.toByteArray();
        int n = Math.min(buffer.length, all.length);
        System.arraycopy(all, 0, buffer, 0, n);
        toMaster.reset();
        toMaster.write(all, n, all.length - n);
        changed();
        return n;
    }

    boolean masterReadReady() {
        return toMaster.size() > 0 || masterHungUp();
    }

    boolean masterHungUp() {
        return slaveEverOpened && slaves == 0;
    }

    void masterClosed() {
        masterOpen = false;
        changed();
        if (session != 0) {
            signalForeground(Signals.SIGHUP);
        }
    }

    /** Both ends closed: the pair can go. */
    boolean gone() {
        return !masterOpen && slaves == 0;
    }

    int masterAvailable() {
        return toMaster.size();
    }

    // ---- the slave's side

    /** open of /dev/pts/N: EIO while the master keeps it locked (unlockpt) or is gone. */
    void slaveOpened() {
        if (locked || !masterOpen) {
            throw new SyscallException(Errno.EIO);
        }
        slaves++;
        slaveEverOpened = true;
    }

    void slaveClosed() {
        slaves--;
        changed();
    }

    int slaveWrite(byte[] data, OpenFile caller) {
        if (!masterOpen) {
            throw new SyscallException(Errno.EIO);
        }
        if (termios.on(Termios.TOSTOP)) {
            table.jobs().terminalAccess(table.current(), session, foreground, Signals.SIGTTOU);
        }
        if (toMaster.size() >= LIMIT) {
            throw Blocked.unlessNonBlocking(caller, this);
        }
        for (byte b : data) {
            output(b);
        }
        changed();
        return data.length;
    }

    int slaveRead(byte[] buffer, OpenFile caller) {
        table.jobs().terminalAccess(table.current(), session, foreground, Signals.SIGTTIN);
        if (termios.on(Termios.ICANON)) {
            int n = input.readLine(buffer);
            if (n < 0) {
                return waitForInput(caller);
            }
            changed();
            return n;
        }
        boolean arrived = input.readable(false); // a read of 0 bytes returns at once when there is input
        int n = input.readRaw(buffer);
        if (!arrived) {
            if (termios.control(Termios.VMIN) != 0) {
                return waitForInput(caller);
            }
            return termios.control(Termios.VTIME) == 0 || !masterOpen || caller.nonBlocking() ? 0
                    : timedRead(termios.control(Termios.VTIME));
        }
        changed();
        return n;
    }

    /**
     * VMIN 0 and VTIME {@code tenths}: a read waits that many tenths of a second for a byte, then returns 0. The
     * deadline is the calling thread's from the read's first try ({@link GuestThread#waitUntil}), kept across the
     * restarts a byte's arrival or a signal make, and cleared when the read returns ({@link SocketTimeouts#ended}).
     */
    private int timedRead(int tenths) {
        GuestThread thread = scheduler.current();
        long now = thread.process.table().clock().monotonic();
        long until = thread.waitUntil(now, tenths * 100_000_000L);
        if (until <= now) {
            thread.waitUntil = GuestThread.NO_WAIT;
            return 0;
        }
        throw Blocked.untilReady(new ReadyWait(until));
    }

    /** Nothing to read: end of file once the master is gone, else a wait. */
    private int waitForInput(OpenFile caller) {
        if (!masterOpen) {
            return 0;
        }
        throw Blocked.unlessNonBlocking(caller, this);
    }

    boolean slaveReadReady() {
        return input.readable(termios.on(Termios.ICANON)) || !masterOpen;
    }

    boolean slaveHungUp() {
        return !masterOpen;
    }

    int slaveAvailable() {
        return input.available(termios.on(Termios.ICANON));
    }

    // ---- the line discipline

    private void receive(byte b) {
        int c = b & 0xff;
        if (c == '\r' && termios.input(Termios.IGNCR)) {
            return;
        }
        if (c == '\r' && termios.input(Termios.ICRNL)) {
            c = '\n';
        } else if (c == '\n' && termios.input(Termios.INLCR)) {
            c = '\r';
        }
        if (termios.on(Termios.ISIG) && (is(c, Termios.VINTR) || is(c, Termios.VQUIT) || is(c, Termios.VSUSP))) {
            int signal = is(c, Termios.VINTR) ? Signals.SIGINT : is(c, Termios.VQUIT) ? Signals.SIGQUIT : Signals.SIGTSTP;
            if (!termios.on(Termios.NOFLSH)) {
                input.clear();
            }
            echo(c);
            signalForeground(signal);
            return;
        }
        if (!termios.on(Termios.ICANON)) {
            input.add(c);
            echo(c);
            return;
        }
        if (is(c, Termios.VERASE)) {
            erase(1, termios.on(Termios.ECHOE));
        } else if (is(c, Termios.VWERASE)) {
            byte[] now = input.edited();
            int end = now.length;
            while (end > 0 && now[end - 1] == ' ') {
                end--;
            }
            while (end > 0 && now[end - 1] != ' ') {
                end--;
            }
            erase(now.length - end, termios.on(Termios.ECHOE));
        } else if (is(c, Termios.VKILL)) {
            if (termios.on(Termios.ECHOKE)) {
                erase(Integer.MAX_VALUE, true);
            } else {
                erase(Integer.MAX_VALUE, false);
                echo(c);
                if (termios.on(Termios.ECHOK)) {
                    echoRaw('\n');
                }
            }
        } else if (is(c, Termios.VEOF)) {
            input.endOfFile(); // nothing else at the start of a line: a read of 0
        } else if (c == '\n' || is(c, Termios.VEOL) || is(c, Termios.VEOL2)) {
            input.endLine(c);
            if (termios.on(Termios.ECHO) || c == '\n' && termios.on(Termios.ECHONL)) {
                echoRaw(c);
            }
        } else {
            input.add(c);
            echo(c);
        }
    }

    private boolean is(int c, int special) {
        return termios.is(c, special);
    }

    /** Takes {@code count} bytes off the line being edited, rubbing them out on the screen ("\b \b") if asked. */
    private void erase(int count, boolean rubOut) {
        int n = input.cut(count);
        if (rubOut && termios.on(Termios.ECHO)) {
            for (int i = 0; i < n; i++) {
                output((byte) '\b');
                output((byte) ' ');
                output((byte) '\b');
            }
        }
    }

    /** ECHO, with ECHOCTL's ^X for a control character other than tab and newline. */
    private void echo(int c) {
        if (!termios.on(Termios.ECHO)) {
            return;
        }
        if (termios.on(Termios.ECHOCTL) && (c < 0x20 && c != '\t' && c != '\n' || c == 0x7f)) {
            output((byte) '^');
            output((byte) (c ^ 0x40));
        } else {
            output((byte) c);
        }
    }

    private void echoRaw(int c) {
        output((byte) c);
    }

    /** What reaches the master, through OPOST's ONLCR and OCRNL. */
    private void output(byte b) {
        if (termios.output(Termios.OPOST)) {
            if (b == '\n' && termios.output(Termios.ONLCR)) {
                toMaster.write('\r');
            } else if (b == '\r' && termios.output(Termios.OCRNL)) {
                b = '\n';
            }
        }
        toMaster.write(b);
    }

    /** {@code signal} from the terminal (the kernel's) to each process of its foreground group, when it has one. */
    private void signalForeground(int signal) {
        if (foreground != 0) {
            table.group(foreground).forEach(p -> table.signal(p, SignalInfo.kernel(signal)));
        }
    }

    private void changed() {
        scheduler.wakeAll(this, ReadyWait.CHANNEL); // a read or write waiting, a poll on either side
    }

    /** /dev/pts/N's struct stat: a character device of major 136, the user's, mode 0600 (devpts's default). */
    byte[] slaveStat() {
        return Stat.synthetic(Stat.S_IFCHR | 0600, 136L << 8 | index, 0x60003 + index, Credentials.UID,
                Credentials.GID);
    }

    // ---- ioctl state

    byte[] termios() {
        return termios.bytes();
    }

    /** TCSETS, TCSETSW, TCSETSF (which also drops unread input). */
    void setTermios(byte[] raw, boolean flushInput) {
        boolean wasCanonical = termios.on(Termios.ICANON);
        termios.set(raw);
        if (flushInput) {
            input.clear();
        } else if (wasCanonical && !termios.on(Termios.ICANON)) {
            input.merge(); // what was typed becomes readable at once, one stream with the lines
        }
        changed();
    }

    byte[] windowSize() {
        return windowSize.array().clone();
    }

    /** TIOCSWINSZ: a new size sends SIGWINCH to the foreground process group, as Linux does. */
    void setWindowSize(byte[] size) {
        boolean changed = !Arrays.equals(size, windowSize.array());
        windowSize.clear();
        windowSize.put(size);
        if (changed) {
            signalForeground(Signals.SIGWINCH);
        }
    }

    boolean locked() {
        return locked;
    }

    void setLocked(boolean locked) {
        this.locked = locked;
    }

    /** TCFLSH: TCIFLUSH (0), TCOFLUSH (1) or both (2). */
    void flush(int which, boolean fromMaster) {
        boolean flushesInput = which == 0 || which == 2;
        boolean output = which == 1 || which == 2;
        if (fromMaster ? output : flushesInput) {
            input.clear();
        }
        if (fromMaster ? flushesInput : output) {
            toMaster.reset();
        }
        changed();
    }
}
