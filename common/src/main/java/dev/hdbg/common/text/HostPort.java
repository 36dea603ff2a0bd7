package dev.hdbg.common.text;

import java.net.Inet6Address;
import java.util.regex.Pattern;

/**
 * {@code HOST:PORT} as {@code --listen}, {@code --connect} and {@code .connect} take it, checked in one place so that
 * each mistake has one name: a <em>malformed address</em> (not HOST:PORT at all, e.g. {@code 127.0.0.1:7801:7}), an
 * <em>invalid address</em> (HOST:PORT, but no such address, e.g. {@code 256.0.0.1}), or a <em>port out of range</em>.
 * HOST is a name, an IPv4 address, or an IPv6 address in brackets ({@code [::1]:7321}).
 *
 * @param host the host as written, without brackets
 * @param port 0 to 65535
 */
public record HostPort(String host, int port) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");
    private static final Pattern DOTTED = Pattern.compile("[0-9.]+");
    private static final int MAX_NAME = 253;

    /**
     * Parses {@code value}.
     *
     * @param option the option or command it came with, for the message (e.g. "--listen")
     * @throws IllegalArgumentException "OPTION VALUE: malformed address ...", "... invalid address ..." or
     *                                  "... port out of range ...", VALUE cut short when long
     */
    public static HostPort parse(String option, String value) {
        String where = option + " " + Echo.cut(value) + ": ";
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(where + "malformed address: write HOST:PORT, e.g. 127.0.0.1:7321");
        }
        String host = value.substring(0, colon);
        String port = value.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            try {
                Inet6Address.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "invalid address: '" + Echo.cut(host) + "' is not an IPv6 address");
            }
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(where + "malformed address: write HOST:PORT with one colon, "
                    + "and an IPv6 address in brackets, e.g. [::1]:7321");
        } else if (host.isEmpty()) {
            throw new IllegalArgumentException(where + "malformed address: the host is missing, e.g. 127.0.0.1:7321");
        } else if (DOTTED.matcher(host).matches()) {
            requireIpv4(host, where);
        } else if (host.length() > MAX_NAME || !NAME.matcher(host).matches()) {
            throw new IllegalArgumentException(where + "malformed address: '" + Echo.cut(host)
                    + "' is neither a host name nor an IP address");
        }
        if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(where + "malformed address: the port is not a decimal number");
        }
        if (port.length() > 5 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(where + "port out of range: ports go from 0 to 65535");
        }
        return new HostPort(host, Integer.parseInt(port));
    }

    private static void requireIpv4(String host, String where) {
        String[] parts = host.split("\\.", -1);
        boolean valid = parts.length == 4;
        for (int i = 0; valid && i < parts.length; i++) {
            valid = !parts[i].isEmpty() && parts[i].length() <= 3 && Integer.parseInt(parts[i]) <= 255;
        }
        if (!valid) {
            throw new IllegalArgumentException(where + "invalid address: '" + Echo.cut(host)
                    + "' is not an IPv4 address (four numbers from 0 to 255)");
        }
    }
}
