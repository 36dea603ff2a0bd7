package dev.hdbg.host.gdb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What goes to the front end: packets with their checksums, acknowledgements until {@code QStartNoAckMode}, the last
 * packet again on a {@code -}, and console output ({@code O} packets). Thread-safe: console output arrives on the
 * record thread while the session answers on its own.
 */
final class FrontEnd {
    /** Text per {@code O} packet: well below the packet size gdb accepts once hex-encoded. */
    private static final int CONSOLE_CHUNK = 1024;

    private final OutputStream out;
    private byte[] last = new byte[0];
    private volatile boolean acknowledging = true;

    FrontEnd(OutputStream out) {
        this.out = out;
    }

    boolean acknowledging() {
        return acknowledging;
    }

    /** After the {@code OK} to {@code QStartNoAckMode}: neither side acknowledges any more. */
    void stopAcknowledging() {
        acknowledging = false;
    }

    synchronized void ack(boolean good) throws IOException {
        if (acknowledging) {
            out.write(good ? '+' : '-');
            out.flush();
        }
    }

    synchronized void send(String payload) throws IOException {
        send(payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    synchronized void send(byte[] payload) throws IOException {
        last = Packets.frame(payload);
        out.write(last);
        out.flush();
    }

    /** {@code -}: the last packet again. */
    synchronized void resend() throws IOException {
        out.write(last);
        out.flush();
    }

    /** Text for gdb's console, as {@code O} packets; only while the target runs or a {@code monitor} command does. */
    synchronized void console(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < bytes.length; at += CONSOLE_CHUNK) {
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + CONSOLE_CHUNK));
            send("O" + Packets.hex(chunk));
        }
    }
}
