package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.Prot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program's {@code MAP_SHARED} mapping of a file it may write is the file's own pages ({@link GuestMemory#mapFile}):
 * its writes reach the file and every other mapping of it, a fork shares it, a cut of the file never leaves a page the
 * emulator could fault on, and a futex word in it is known by file and offset.
 */
class FileMappingTest {
    private static final long FIRST = 0x600000;
    private static final long SECOND = 0x700000;
    private static final long PAGE = GuestMemory.PAGE;
    private static final Object KEY = "the file";

    @TempDir
    Path dir;

    private FileChannel fileOf(long size) throws IOException {
        Path path = dir.resolve("data");
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        channel.write(ByteBuffer.allocate(1), size - 1);
        return channel;
    }

    private static byte readFile(FileChannel channel, long at) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, at);
        return one.get(0);
    }

    @Test
    void writesReachTheFileAndAnotherMappingOfIt() throws IOException {
        try (Machine machine = new Machine(); FileChannel channel = fileOf(2 * PAGE)) {
            GuestMemory memory = machine.memory();
            memory.mapFile("a", FIRST, 2 * PAGE, Prot.READ | Prot.WRITE, channel, 0, 2 * PAGE, KEY);
            memory.mapFile("b", SECOND, PAGE, Prot.READ | Prot.WRITE, channel, PAGE, PAGE, KEY);
            machine.cpu().writeMemory(FIRST + PAGE + 3, new byte[] {42}); // as the guest's store
            assertThat(memory.read(SECOND + 3, 1)).containsExactly(42);
            assertThat(readFile(channel, PAGE + 3)).isEqualTo((byte) 42);
            channel.write(ByteBuffer.wrap(new byte[] {7}), 5);
            assertThat(memory.read(FIRST + 5, 1)).as("the file's write, seen through the mapping").containsExactly(7);
            assertThat(Files.size(dir.resolve("data"))).as("mapping does not grow the file").isEqualTo(2 * PAGE);
        }
    }

    @Test
    void pagesPastTheFilesEndAreZeroedMemoryOfTheMappingsOwn() throws IOException {
        try (Machine machine = new Machine(); FileChannel channel = fileOf(100)) {
            GuestMemory memory = machine.memory();
            memory.mapFile("a", FIRST, 3 * PAGE, Prot.READ | Prot.WRITE, channel, 0, 100, KEY);
            assertThat(memory.read(FIRST + PAGE, (int) (2 * PAGE))).containsOnly(0);
            memory.write(FIRST + 2 * PAGE, new byte[] {1});
            memory.write(FIRST + 200, new byte[] {2}); // in the file's last page, past its end
            assertThat(channel.size()).isEqualTo(100);
            assertThat(memory.read(FIRST + 200, 1)).containsExactly(2);
        }
    }

    /**
     * A cut under a live mapping: natively an access past the end raises SIGBUS in the program; here it would raise it
     * in the agent, so the pages past the new end become zeros first, and the guest's stores and loads there go on.
     */
    @Test
    void aCutOfTheFileLeavesZerosWhereItsPagesWere() throws IOException {
        try (Machine machine = new Machine(); FileChannel channel = fileOf(3 * PAGE)) {
            GuestMemory memory = machine.memory();
            memory.mapFile("a", FIRST, 3 * PAGE, Prot.READ | Prot.WRITE, channel, 0, 3 * PAGE, KEY);
            memory.write(FIRST + 2 * PAGE, new byte[] {9});
            memory.write(FIRST, new byte[] {4});
            memory.fileShrinking(KEY, PAGE + 1);
            channel.truncate(PAGE + 1);
            assertThat(memory.read(FIRST + 2 * PAGE, 1)).containsExactly(0);
            machine.cpu().writeMemory(FIRST + 2 * PAGE + 8, new byte[] {3});
            assertThat(memory.read(FIRST, 1)).as("the page the file keeps").containsExactly(4);
            assertThat(memory.read(FIRST + PAGE, 1)).as("the file's last page, still the file's").containsExactly(0);
            memory.write(FIRST + PAGE, new byte[] {6});
            assertThat(readFile(channel, PAGE)).isEqualTo((byte) 6);
        }
    }

    /**
     * Two processes map one file at different addresses (each opened it by name): a futex word is the same word in
     * both, as Linux keys a shared futex by page; a fork's block is the same word at the same address; a private copy
     * is no one else's.
     */
    @Test
    void aWordOfTheFileIsTheSameWordInEveryMappingOfIt() throws IOException {
        try (Machine machine = new Machine(); FileChannel channel = fileOf(PAGE)) {
            GuestMemory memory = machine.memory();
            memory.mapFile("a", FIRST, PAGE, Prot.READ | Prot.WRITE, channel, 0, PAGE, KEY);
            memory.map("private", 0x800000, PAGE, Prot.READ | Prot.WRITE);
            AddressSpace parent = memory.switchTo(memory.copy());
            memory.mapFile("b", SECOND, PAGE, Prot.READ | Prot.WRITE, channel, 0, PAGE, KEY);
            assertThat(memory.sharesWith(SECOND + 16, parent, FIRST + 16)).as("the child's own mapping").isTrue();
            assertThat(memory.sharesWith(FIRST + 16, parent, FIRST + 16)).as("the block the fork shared").isTrue();
            assertThat(memory.sharesWith(SECOND + 16, parent, FIRST + 20)).as("another word").isFalse();
            assertThat(memory.sharesWith(0x800000, parent, 0x800000)).as("private memory").isFalse();
            machine.cpu().writeMemory(SECOND, new byte[] {5});
            AddressSpace child = memory.switchTo(parent);
            assertThat(memory.read(FIRST, 1)).containsExactly(5);
            memory.release(child);
        }
    }

    /** A fork's copy of a block it does not share (a MAP_FIXED over part of it) keeps the file's untouched bytes. */
    @Test
    void aPrivateCopyOfFilePagesHoldsTheFilesBytes() throws IOException {
        try (Machine machine = new Machine(); FileChannel channel = fileOf(2 * PAGE)) {
            channel.write(ByteBuffer.wrap(new byte[] {8}), PAGE + 1); // through the file: the host never touched the map
            GuestMemory memory = machine.memory();
            memory.mapFile("a", FIRST, 2 * PAGE, Prot.READ | Prot.WRITE, channel, 0, 2 * PAGE, KEY);
            AddressSpace parent = memory.switchTo(memory.copy());
            memory.privatize(FIRST, PAGE);
            assertThat(memory.read(FIRST + PAGE + 1, 1)).containsExactly(8);
            memory.write(FIRST + PAGE + 1, new byte[] {1});
            assertThat(readFile(channel, PAGE + 1)).as("the copy is the child's own").isEqualTo((byte) 8);
            memory.release(memory.switchTo(parent));
        }
    }
}
