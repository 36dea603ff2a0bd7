package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's {@code /dev/shm} and its {@code --tmpfs} directories are directories of the run's own on the host: names
 * beneath them are host files there, whatever the root holds at that path, the rest of {@code /dev} stays made up, a
 * {@code ..} leads back into the guest's tree, and the directories go with what was left in them when the run ends.
 */
class PrivateDirectoriesTest {
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int EROFS = -30;

    @TempDir
    Path root;

    @Test
    void namesBeneathDevShmAreTheRunsOwnHostFiles() throws Exception {
        PrivateDirectories mounts = new PrivateDirectories(List.of());
        PrivateDirectory shm = mounts.sharedMemory();
        try {
            Sandbox sandbox = new Sandbox(root, mounts);
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
            mounts.removeAll();
            assertThat(made).doesNotExist();
        } finally {
            mounts.removeAll();
        }
    }

    @Test
    void aSandboxWithoutThemHasNoDevShm() {
        Sandbox finder = new Sandbox(root);
        assertThat(finder.hasShm()).isFalse();
        assertThatThrownBy(() -> finder.resolve("/", "/dev/shm/x", true)).isInstanceOf(SyscallException.class);
    }

    @Test
    void aTmpfsDirectoryHidesTheRootsFilesThereAndTheDeepestMountWins() throws Exception {
        Files.createDirectories(root.resolve("var/tmp"));
        Files.createDirectories(root.resolve("tmp"));
        Files.writeString(root.resolve("tmp/host.txt"), "the host's");
        PrivateDirectories mounts = new PrivateDirectories(List.of("/var", "/tmp", "/var/tmp"));
        try {
            Sandbox sandbox = new Sandbox(root, mounts);
            Sandbox.Resolved hidden = sandbox.resolve("/", "/tmp/host.txt", true);
            assertThat(hidden.host()).as("the root's /tmp/host.txt is not the program's").doesNotExist();
            Files.writeString(hidden.host(), "the program's");
            assertThat(hidden.host().getParent().toRealPath()).isNotEqualTo(root.toRealPath().resolve("tmp"));
            assertThat(sandbox.guestPathOf(hidden.host())).contains("/tmp/host.txt");
            assertThat(sandbox.resolve("/tmp", "../etc", true).host()).isEqualTo(root.toRealPath().resolve("etc"));

            Path varTmp = sandbox.resolve("/", "/var/tmp/a", true).host().getParent();
            Path var = sandbox.resolve("/", "/var/b", true).host().getParent();
            assertThat(varTmp).isNotEqualTo(var.resolve("tmp")).isNotEqualTo(root.resolve("var/tmp"));

            assertThat(sandbox.isPrivate("/tmp/host.txt")).isTrue();
            assertThat(sandbox.isPrivate("/tmp")).as("the mount point itself stays").isFalse();
            assertThat(sandbox.isPrivate("/tmpx/a")).isFalse();

            mounts.removeAll();
            assertThat(hidden.host()).doesNotExist();
            assertThat(root.resolve("tmp/host.txt")).hasContent("the host's");
        } finally {
            mounts.removeAll();
        }
    }

    @Test
    void aTmpfsDirectoryMustBeAPlaceTheProgramCouldWrite() {
        assertThatThrownBy(() -> PrivateDirectories.check("tmp")).hasMessageContaining("/tmp?");
        assertThatThrownBy(() -> PrivateDirectories.check("/")).hasMessageContaining("--writable");
        assertThatThrownBy(() -> PrivateDirectories.check("/tmp/../etc")).hasMessageContaining(". or ..");
        assertThatThrownBy(() -> PrivateDirectories.check("/proc/x")).hasMessageContaining("makes up");
        assertThatThrownBy(() -> PrivateDirectories.check("/dev/shm")).hasMessageContaining("/dev/shm is the program");
        PrivateDirectories.check("/tmp/");
    }

    /** ed keeps its buffer in glibc's tmpfile(), in /tmp: a read-only root refuses it, --tmpfs /tmp gives it one. */
    @Test
    void theProgramWritesInItsTmpAndIsToldOnceHowToGetOne() throws Exception {
        Files.createDirectories(root.resolve("tmp"));
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(2, g.string("/tmp/a"), O_WRONLY | O_CREAT, 0600)).isEqualTo(EROFS);
            assertThat(g.rax(2, g.string("/tmp/b"), O_WRONLY | O_CREAT, 0600)).isEqualTo(EROFS);
            assertThat(g.notices).singleElement().asString().contains("/tmp/a", "--tmpfs /tmp");
        }
        try (Guest g = new Guest(root, false, List.of(), List.of("/tmp"))) {
            long fd = g.rax(2, g.string("/tmp/a"), O_WRONLY | O_CREAT, 0600);
            assertThat(fd).isEqualTo(3);
            assertThat(g.rax(1, fd, g.put("kept".getBytes(StandardCharsets.UTF_8)), 4)).isEqualTo(4);
            assertThat(g.rax(83, g.string("/tmp/d"), 0700)).as("mkdir").isZero();
            assertThat(g.rax(84, g.string("/tmp"))).as("the mount point's rmdir").isEqualTo(EROFS);
            assertThat(g.rax(2, g.string("/a"), O_WRONLY | O_CREAT, 0600)).as("the root stays read-only")
                    .isEqualTo(EROFS);
            assertThat(g.notices).isEmpty();
        }
        try (var names = Files.list(root.resolve("tmp"))) {
            assertThat(names).as("the root's /tmp untouched").isEmpty();
        }
    }
}
