package dev.hdbg.host.gdb;

import java.nio.charset.StandardCharsets;

/** What a front end sends, as {@link PacketReader} reads it. */
sealed interface Inbound {
    /** A packet whose checksum matched; {@code payload} as sent, escapes still in (only {@code X} has any). */
    record Packet(byte[] payload) implements Inbound {
        /** The payload as text: every packet but {@code X}'s data is ASCII. */
        String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code 0x03} outside a packet: stop the running target (Ctrl-C). */
    record Interrupt() implements Inbound {
    }

    /** {@code -}: the front end asks for the last packet again. */
    record Nack() implements Inbound {
    }

    /** A packet that arrived damaged: bad checksum, a digit that is not hex. */
    record Damaged(String why) implements Inbound {
    }

    /** A packet longer than the limit: it was read to its end and dropped. */
    record Oversized(long length) implements Inbound {
    }
}
