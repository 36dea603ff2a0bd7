package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code vFile:fstat}'s reply in gdb's host I/O form (GDB's manual, "struct stat"): 64 bytes, big-endian, the 32-bit
 * fields but for size, block size and block count, escaped as any binary reply.
 */
class HostIoStatTest {
    @Test
    void aReadOnlyRegularFileOfItsSizeInTheProtocolsLayout() {
        long size = 0x1e2_07d; // a byte that needs escaping among them: 0x7d
        byte[] reply = Queries.statReply(size);
        String head = "F" + Integer.toHexString(Queries.STAT_SIZE) + ";";

        assertThat(new String(reply, 0, head.length(), StandardCharsets.US_ASCII)).isEqualTo(head);
        ByteBuffer stat = ByteBuffer.wrap(unescape(Arrays.copyOfRange(reply, head.length(), reply.length)));
        assertThat(stat.remaining()).isEqualTo(Queries.STAT_SIZE);
        assertThat(stat.getInt(8)).as("st_mode: S_IFREG | 0444").isEqualTo(0100444);
        assertThat(stat.getInt(12)).as("st_nlink").isEqualTo(1);
        assertThat(stat.getLong(28)).as("st_size").isEqualTo(size);
        assertThat(stat.getLong(36)).as("st_blksize").isEqualTo(4096);
        assertThat(stat.getLong(44)).as("st_blocks of 512 bytes").isEqualTo((size + 511) / 512);
    }

    /** The remote protocol's escape: 0x7d, then the byte XOR 0x20. */
    private static byte[] unescape(byte[] escaped) {
        byte[] out = new byte[escaped.length];
        int n = 0;
        for (int i = 0; i < escaped.length; i++) {
            out[n++] = escaped[i] == 0x7d ? (byte) (escaped[++i] ^ 0x20) : escaped[i];
        }
        return Arrays.copyOf(out, n);
    }
}
