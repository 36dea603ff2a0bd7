package dev.hdbg.host.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** gdb's side of a bridge connection, for tests that play gdb: packets sent framed, packets received acknowledged. */
final class GdbWire {
    private final InputStream in;
    private final OutputStream out;

    GdbWire(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    void send(String payload) throws IOException {
        out.write(Packets.frame(payload.getBytes(StandardCharsets.ISO_8859_1)));
        out.flush();
    }

    /** gdb's Ctrl-C: the interrupt byte, outside any packet. */
    void interrupt() throws IOException {
        out.write(0x03);
        out.flush();
    }

    /** The next packet's payload, skipping acknowledgements, and acknowledged; null when the bridge closed first. */
    String next() throws IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                return null;
            }
        }
        StringBuilder payload = new StringBuilder();
        while ((c = in.read()) != '#') {
            payload.append((char) c);
        }
        in.read();
        in.read();
        out.write('+');
        out.flush();
        return payload.toString();
    }
}
