package dev.hdbg.agent.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Guest code for the memory tests: a value into EAX, then a halt, in two translated blocks. */
final class MovEaxCode {
    /** Its length in bytes. */
    static final int LENGTH = 8;

    private MovEaxCode() {
    }

    /** mov eax, imm32 ; jmp +0 (a second block, chained to the first once both ran) ; hlt. */
    static byte[] movEaxHlt(int value) {
        return ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xb8).putInt(value)
                .put((byte) 0xeb).put((byte) 0).put((byte) 0xf4).array();
    }
}
