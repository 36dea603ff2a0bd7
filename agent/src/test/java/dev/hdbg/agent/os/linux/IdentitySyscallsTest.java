package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process keeps the agent's user and group: setting an id to what it is succeeds (GNU make's posix_spawn resets
 * the effective ids to the real ones before every recipe line, and failed with ENOSYS: "Error 127"), another value is
 * refused.
 */
class IdentitySyscallsTest {
    private static final int UID = Credentials.UID;
    private static final int GID = Credentials.GID;

    @TempDir
    Path root;

    private static long ints(Guest g, int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return g.put(b.array());
    }

    @Test
    void settingAnIdToWhatItIsSucceedsAndAnyOtherValueIsRefused() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(117, -1, UID, -1)).as("setresuid(-1, uid, -1): posix_spawn's RESETIDS").isZero();
            assertThat(g.rax(119, -1, GID, -1)).as("setresgid").isZero();
            assertThat(g.rax(105, UID)).as("setuid to itself").isZero();
            assertThat(g.rax(113, -1, -1)).as("setreuid leaving both").isZero();
            assertThat(g.rax(105, UID + 1)).as("setuid to another user").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(119, GID, GID + 1, GID)).isEqualTo(-Errno.EPERM);
            assertThat(g.rax(102)).as("getuid after the refusal").isEqualTo(UID);
            assertThat(g.rax(122, UID + 1)).as("setfsuid: the id before, which stays").isEqualTo(UID);
        }
    }

    @Test
    void theGroupListIsTheOneGroupAndCanBeSetOnlyToThat() {
        try (Guest g = new Guest(root, false)) {
            long list = g.buffer(8);
            assertThat(g.rax(115, 0, 0)).as("getgroups: how many").isEqualTo(1);
            assertThat(g.rax(115, 2, list)).isEqualTo(1);
            assertThat(g.read(list, 4).getInt(0)).isEqualTo(GID);
            assertThat(g.rax(116, 1, ints(g, GID))).isZero();
            assertThat(g.rax(116, 2, ints(g, GID, GID + 1))).isEqualTo(-Errno.EPERM);
            assertThat(g.rax(116, -1, 0)).isEqualTo(-Errno.EINVAL);
        }
    }
}
