package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's {@code /dev/shm} is a directory of the run's own on the host: names beneath it are host files there,
 * the rest of {@code /dev} stays made up, a {@code ..} leads back into the guest's tree, and the directory goes with
 * what was left in it when the run ends.
 */
class SharedMemoryDirectoryTest {
    @TempDir
    Path root;

    @Test
    void namesBeneathDevShmAreTheRunsOwnHostFiles() throws Exception {
        SharedMemoryDirectory shm = new SharedMemoryDirectory();
        try {
            Sandbox sandbox = new Sandbox(root, shm);
            Sandbox.Resolved semaphore = sandbox.resolve("/", "/dev/shm/sem.lock", true);
            assertThat(semaphore.isVirtual()).isFalse();
            assertThat(semaphore.host()).isEqualTo(shm.directory().resolve("sem.lock"));
            assertThat(semaphore.guestPath()).isEqualTo("/dev/shm/sem.lock");
            Files.writeString(semaphore.host(), "x");
            assertThat(sandbox.guestPathOf(semaphore.host())).contains("/dev/shm/sem.lock");
            assertThat(sandbox.resolve("/dev/shm", "..", true).isVirtual()).as("/dev itself is made up").isTrue();
            Files.createDirectories(root.resolve("etc"));
            assertThat(sandbox.resolve("/dev/shm", "../../etc", true).host()).isEqualTo(root.toRealPath().resolve("etc"));

            Path made = shm.directory();
            shm.remove();
            assertThat(made).doesNotExist();
        } finally {
            shm.remove();
        }
    }

    @Test
    void aSandboxWithoutItHasNoDevShm() {
        Sandbox finder = new Sandbox(root);
        assertThat(finder.hasShm()).isFalse();
        assertThatThrownBy(() -> finder.resolve("/", "/dev/shm/x", true)).isInstanceOf(SyscallException.class);
    }
}
