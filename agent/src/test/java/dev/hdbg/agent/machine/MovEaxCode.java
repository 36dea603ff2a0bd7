package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.GuestRegister;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Guest code for the memory tests: a value (or a word of memory) into EAX, then a halt. */
final class MovEaxCode {
    /** Its length in bytes. */
    static final int LENGTH = 8;

    private MovEaxCode() {
    }

    /** Runs the code at {@code code} up to its hlt (ring 0 on a bare machine: the hlt ends the run); returns EAX. */
    static long runAt(Machine machine, long code) {
        machine.cpu().run(code);
        assertThat(machine.rip()).isEqualTo(code + LENGTH);
        return machine.read(GuestRegister.RAX);
    }

    /** mov eax, imm32 ; jmp +0 (a second block, chained to the first once both ran) ; hlt. */
    static byte[] movEaxHlt(int value) {
        return ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xb8).putInt(value)
                .put((byte) 0xeb).put((byte) 0).put((byte) 0xf4).array();
    }

    /** mov eax, [address] (absolute, through a SIB byte: 8b 04 25 disp32) ; hlt: a load through the engine's TLB. */
    static byte[] loadEaxHlt(int address) {
        return ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0x8b).put((byte) 0x04)
                .put((byte) 0x25).putInt(address).put((byte) 0xf4).array();
    }
}
