package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each engine knows its translation buffer, and a buffer written near its end reads as nearly full until it is
 * released: what keeps Unicorn 2.0.1 from flushing a full buffer itself, which crashed the agent.
 */
class CodeBufferTest {
    @Test
    void anEngineFindsItsOwnTranslationBuffer() {
        try (Unicorn first = Unicorn.openX86_64(); Unicorn second = Unicorn.openX86_64()) {
            CodeBuffer one = first.codeBuffer();
            CodeBuffer other = second.codeBuffer();
            assertThat(one).isNotNull();
            assertThat(other).isNotNull();
            assertThat(one.size()).isGreaterThanOrEqualTo(CodeBuffer.MIN_SIZE);
            assertThat(one.start()).isNotEqualTo(other.start());
            assertThat(one.nearlyFull()).as("a new engine's buffer").isFalse();
            assertThat(first.translationBufferFlushes()).isZero();
        }
    }

    @Test
    void theOneMappingAddedIsTheBufferAndTwoAreNone() {
        List<long[]> before = List.of(new long[] {0x1000, 0x2000});
        assertThat(CodeBuffer.added(before, List.of(new long[] {0x1000, 0x2000}, new long[] {0x10000, 0x50000})).start())
                .isEqualTo(0x10000);
        assertThat(CodeBuffer.added(before, List.of(new long[] {0x10000, 0x50000}, new long[] {0x60000, 0x90000})))
                .isNull();
        assertThat(CodeBuffer.added(before, before)).isNull();
    }

    /** Anonymous memory as the buffer is mapped: the kernel backs a page once it is written (an Arena zeroes all). */
    @SuppressWarnings("restricted")
    private static MemorySegment anonymous(long size) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MemorySegment at = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, size, 3, 0x22, -1, 0L);
        return at.reinterpret(size);
    }

    @Test
    void aBufferWrittenNearItsEndIsNearlyFullUntilReleased() throws Throwable {
        long size = 64L << 20;
        MemorySegment memory = anonymous(size); // left mapped: 64 MiB of address space for the test JVM's life
        CodeBuffer buffer = new CodeBuffer(memory.address(), size);
        memory.set(JAVA_BYTE, size / 2, (byte) 1);
        assertThat(buffer.nearlyFull()).as("half written").isFalse();
        memory.set(JAVA_BYTE, size / 8 * 7 + 10, (byte) 1);
        assertThat(buffer.nearlyFull()).isTrue();
        memory.set(JAVA_BYTE, 5, (byte) 9);
        buffer.released();
        assertThat(buffer.nearlyFull()).isFalse();
        assertThat(memory.get(JAVA_BYTE, 5)).as("the first eighth is kept").isEqualTo((byte) 9);
    }

    /**
     * An engine whose buffer reads as nearly full empties it before its next run, outside every hook, once; the code
     * it runs afterwards is translated again and runs as before. (The buffer watched here is the test's memory: the
     * engine's own fills only after about a gibibyte of translated code.)
     */
    @Test
    void anEngineEmptiesANearlyFullBufferBeforeItsNextRun() throws Throwable {
        long size = 64L << 20;
        MemorySegment memory = anonymous(size);
        memory.set(JAVA_BYTE, size / 8 * 7, (byte) 1);
        try (Unicorn unicorn = Guest.withCode("b8 11 00 00 00 f4")) { // mov eax, 0x11 ; hlt
            unicorn.emuStart(Guest.CODE, 0, 0, 0);
            CodeBuffer watched = new CodeBuffer(memory.address(), size);
            unicorn.cache().watch(watched);
            unicorn.regWrite(X86Reg.RAX, 0);
            unicorn.emuStart(Guest.CODE, 0, 0, 0);
            assertThat(unicorn.translationBufferFlushes()).isEqualTo(1);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0x11);
            assertThat(watched.nearlyFull()).as("released after the flush").isFalse();
        }
    }
}
