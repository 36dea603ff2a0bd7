package dev.hdbg.agent.server;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A register name that is one of xmm0 .. xmm15, which the protocol carries by name beside the guest registers but
 * reads and writes as 16 bytes ({@code RegisterValue.wide}).
 *
 * @param index 0 .. 15
 */
record XmmName(int index) {
    private static final Pattern XMM = Pattern.compile("xmm([0-9]|1[0-5])");

    /** {@code xmm3}, {@code XMM3} or {@code @xmm3}; empty for any other name. */
    static Optional<XmmName> parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("@")) {
            n = n.substring(1);
        }
        return XMM.matcher(n).matches() ? Optional.of(new XmmName(Integer.parseInt(n.substring(3)))) : Optional.empty();
    }

    /** The name replies carry: {@code xmm3}. */
    String wireName() {
        return "xmm" + index;
    }
}
