package dev.hdbg.host.cli;

/** HOST:PORT for the gdb bridge, as {@code --gdb} and {@code .gdb} take it; port 0 picks a free one. */
public record GdbAddress(String host, int port) {
    public static GdbAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("the gdb bridge wants HOST:PORT, e.g. 127.0.0.1:1234, not '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the gdb bridge wants a decimal port, e.g. 127.0.0.1:1234, not '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
        }
        return new GdbAddress(text.substring(0, colon), port);
    }
}
