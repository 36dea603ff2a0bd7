package dev.hdbg.host.gdb;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads what a front end sends into {@link Inbound}s: packets, Ctrl-C, acknowledgements. Bounded: a packet longer
 * than {@code maxPayload} is read to its end and reported, never held; bytes outside a packet other than
 * {@code +}, {@code -} and {@code 0x03} (line noise, a client speaking something else) are skipped.
 */
final class PacketReader {
    /** A packet that never ends (a client sending {@code $} then garbage forever) is given up after this much. */
    private static final long GIVE_UP_AFTER = 16L * 1024 * 1024;

    private final InputStream in;
    private final int maxPayload;
    private final byte[] buffer;

    PacketReader(InputStream in, int maxPayload) {
        this.in = in;
        this.maxPayload = maxPayload;
        this.buffer = new byte[maxPayload];
    }

    /**
     * The next thing the front end sent; acknowledgements ({@code +}) are skipped.
     *
     * @throws EOFException when the front end closed the connection, also in the middle of a packet
     * @throws IOException  when reading fails, or a packet runs past 16 MiB without its end
     */
    Inbound next() throws IOException {
        while (true) {
            int b = read();
            switch (b) {
                case '$' -> {
                    return packet();
                }
                case 0x03 -> {
                    return new Inbound.Interrupt();
                }
                case '-' -> {
                    return new Inbound.Nack();
                }
                default -> {
                    // '+' acknowledges our last packet; anything else is noise between packets.
                }
            }
        }
    }

    private Inbound packet() throws IOException {
        int length = 0;
        long total = 0;
        int sum = 0;
        int b;
        while ((b = read()) != '#') {
            if (b == '$') {
                // A new packet started before this one ended: the rest of this one was lost on the way.
                length = 0;
                total = 0;
                sum = 0;
                continue;
            }
            sum += b;
            if (length < maxPayload) {
                buffer[length] = (byte) b;
                length++;
            }
            total++;
            if (total > GIVE_UP_AFTER) {
                throw new IOException("a packet ran past " + GIVE_UP_AFTER + " bytes without its end");
            }
        }
        int high = read();
        int low = read();
        if (total > maxPayload) {
            return new Inbound.Oversized(total);
        }
        int sent;
        try {
            sent = Packets.digit(high) << 4 | Packets.digit(low);
        } catch (IllegalArgumentException e) {
            return new Inbound.Damaged("checksum is not hex");
        }
        if (sent != (sum & 0xff)) {
            return new Inbound.Damaged("checksum " + Integer.toHexString(sent) + ", computed " + Integer.toHexString(sum & 0xff));
        }
        byte[] payload = new byte[length];
        System.arraycopy(buffer, 0, payload, 0, length);
        return new Inbound.Packet(payload);
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the front end closed the connection");
        }
        return b;
    }
}
