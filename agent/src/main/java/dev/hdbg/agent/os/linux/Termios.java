package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A terminal's settings, the kernel's {@code struct termios} that TCGETS and TCSETS carry (c_iflag, c_oflag, c_cflag,
 * c_lflag, c_line, c_cc[19]: 36 bytes), starting as Linux's tty_std_termios: cooked, echoing, signals on.
 */
final class Termios {
    static final int SIZE = 36;
    static final int IGNCR = 0x80;
    static final int ICRNL = 0x100;
    static final int INLCR = 0x40;
    static final int OPOST = 0x1;
    static final int ONLCR = 0x4;
    static final int OCRNL = 0x8;
    static final int ISIG = 0x1;
    static final int ICANON = 0x2;
    static final int ECHO = 0x8;
    static final int ECHOE = 0x10;
    /** c_lflag: a background group's writes stop it with SIGTTOU. */
    static final int TOSTOP = 0x100;
    static final int ECHOK = 0x20;
    static final int ECHONL = 0x40;
    static final int NOFLSH = 0x80;
    static final int ECHOCTL = 0x200;
    static final int ECHOKE = 0x800;
    static final int VINTR = 0;
    static final int VQUIT = 1;
    static final int VERASE = 2;
    static final int VKILL = 3;
    static final int VEOF = 4;
    static final int VTIME = 5;
    static final int VMIN = 6;
    static final int VSUSP = 10;
    static final int VEOL = 11;
    static final int VWERASE = 14;
    static final int VEOL2 = 16;

    private int iflag = ICRNL | 0x400; // IXON
    private int oflag = OPOST | ONLCR;
    private int cflag = 0x4bf; // B38400 | CS8 | CREAD | HUPCL
    private int lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | 0x8000; // IEXTEN
    private byte line;
    private final byte[] cc = Arrays.copyOf(new byte[] {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027,
            026, 0}, 19);

    /** Whether the local mode {@code flag} (c_lflag) is on. */
    boolean on(int flag) {
        return (lflag & flag) != 0;
    }

    /** Whether the input mode {@code flag} (c_iflag) is on. */
    boolean input(int flag) {
        return (iflag & flag) != 0;
    }

    /** Whether the output mode {@code flag} (c_oflag) is on. */
    boolean output(int flag) {
        return (oflag & flag) != 0;
    }

    /** c_cc[{@code index}]. */
    int control(int index) {
        return cc[index] & 0xff;
    }

    /** Whether {@code c} is the special character {@code index} (one set to 0 is disabled). */
    boolean is(int c, int index) {
        return cc[index] != 0 && c == control(index);
    }

    byte[] bytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(iflag).putInt(oflag).putInt(cflag)
                .putInt(lflag).put(line).put(cc).array();
    }

    void set(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        iflag = b.getInt();
        oflag = b.getInt();
        cflag = b.getInt();
        lflag = b.getInt();
        line = b.get();
        b.get(cc);
    }
}
