package dev.hdbg.common.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Text kept as UTF-8 bytes ({@link DebuggerRecord.ScriptOutput}): keeps it well-formed, as a protobuf string must be. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * {@code bytes} when they are well-formed UTF-8 (plain ASCII found so by one look at each byte); otherwise what
     * {@code new String(bytes, UTF_8).getBytes(UTF_8)} makes of them, each malformed sequence replaced by U+FFFD, as
     * the agent's string of them wrote it on the wire before.
     */
    static byte[] wellFormed(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                byte[] again = new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                return Arrays.equals(again, bytes) ? bytes : again;
            }
        }
        return bytes;
    }
}
