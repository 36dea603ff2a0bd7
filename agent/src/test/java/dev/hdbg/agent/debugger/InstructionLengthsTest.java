package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code disassemble_len}'s decoder on a real machine's memory, with instructions of known lengths. */
class InstructionLengthsTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    // +0 mov rax, 0x1122334455667788 (10 bytes; in 32-bit code 48 is dec eax, 1 byte)
    // +10 push es (no instruction in 64-bit code; 1 byte in 32-bit code)
    // +11 lock add dword ptr [rax+rbx*4+0x12345678], 0x9abcdef0 (12 bytes)
    // +23 ret
    private static final byte[] CODE = HexFormat.of().parseHex("48b88877665544332211" + "06"
            + "f081849878563412f0debc9a" + "c3");

    private Machine machine;
    private InstructionLengths lengths;

    @BeforeEach
    void start() {
        machine = new Machine();
        RawImageLoader.load(machine, "t", CODE, IMAGE, IMAGE);
        lengths = new InstructionLengths(machine);
    }

    @AfterEach
    void stop() {
        machine.close();
    }

    @Test
    void measuresEachInstructionAsTheModeDecodesIt() {
        assertThat(lengths.at(IMAGE, 64)).isEqualTo(10);
        assertThat(lengths.at(IMAGE, 32)).isEqualTo(1);
        assertThat(lengths.at(IMAGE + 11, 64)).isEqualTo(12);
        assertThat(lengths.at(IMAGE + 23, 64)).isEqualTo(1);
        assertThat(lengths.at(IMAGE + 10, 32)).isEqualTo(1);
    }

    @Test
    void bytesThatAreNoInstructionAndUnmappedAddressesGiveZero() {
        assertThat(lengths.at(IMAGE + 10, 64)).as("push es in 64-bit code").isZero();
        assertThat(lengths.at(0, 64)).as("unmapped").isZero();
        assertThat(lengths.at(-1, 64)).as("unmapped").isZero();
    }
}
