package dev.hdbg.agent.vmx.decode;

import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Hlt;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovFromCr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovFromDr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovToCr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovToDr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Rdmsr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Rdpmc;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Rdtsc;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Rdtscp;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Sysret;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Vmcall;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Wrmsr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Xgetbv;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Xsetbv;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes the 64-bit-mode instruction at a faulting RIP into a {@link PrivilegedInstruction}, when it is one of those
 * the agent emulates: HLT, RDMSR, WRMSR, RDTSC, RDTSCP, RDPMC, XSETBV, XGETBV, VMCALL, MOV to and from CR and DR,
 * and SYSRET. Stateless and thread-safe.
 */
public final class PrivilegedInstructionDecoder {
    private PrivilegedInstructionDecoder() {
    }

    /**
     * Decodes the instruction that starts at {@code bytes[0]}.
     *
     * <p>Any number of legacy prefixes (66, 67, F2, F3, and the segment overrides 2E, 36, 3E, 26, 64, 65) may precede
     * the opcode, in any order and repeated, followed by a REX prefix (40-4F); all of them count in the length. A REX
     * prefix followed by a legacy prefix is ignored, as the CPU ignores it. Bytes after the instruction are not
     * looked at.
     *
     * <p>The result is empty, and the caller should report the fault as a real one, when:
     * <ul>
     * <li>{@code bytes} is empty or ends before the instruction does;</li>
     * <li>the opcode is not one of the listed instructions (including 0F 01 forms such as VMLAUNCH or SWAPGS);</li>
     * <li>the instruction would be longer than 15 bytes: only the first 15 bytes are read;</li>
     * <li>a LOCK prefix (F0) is present: on these instructions the CPU raises #UD;</li>
     * <li>XGETBV or XSETBV carries a 66, F2 or F3 prefix, which the SDM forbids for them;</li>
     * <li>MOV CR or MOV DR has a ModRM mod field other than 11b, names CR1, CR5-CR7 or CR9-CR15, or names
     *     DR8-DR15 (DR with REX.R).</li>
     * </ul>
     *
     * @param bytes the bytes at RIP: up to 15, fewer near the end of mapped memory; any past the 15th are ignored
     * @return the decoded instruction, or empty as above
     * @throws NullPointerException if {@code bytes} is null
     */
    public static Optional<PrivilegedInstruction> decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Cursor in = new Cursor(bytes);
        Prefixes prefixes = Prefixes.read(in);
        // spec: SDM Vol. 2A 2.1.1, LOCK on anything but a read-modify-write memory instruction raises #UD.
        if (prefixes.lock()) {
            return Optional.empty();
        }
        return switch (in.next()) {
            case 0xF4 -> Optional.of(new Hlt(in.position()));
            case 0x0F -> twoByte(in, prefixes);
            default -> Optional.empty();
        };
    }

    private static Optional<PrivilegedInstruction> twoByte(Cursor in, Prefixes prefixes) {
        int opcode = in.next();
        int length = in.position();
        return switch (opcode) {
            case 0x07 -> Optional.of(new Sysret(length, prefixes.rexW()));
            case 0x30 -> Optional.of(new Wrmsr(length));
            case 0x31 -> Optional.of(new Rdtsc(length));
            case 0x32 -> Optional.of(new Rdmsr(length));
            case 0x33 -> Optional.of(new Rdpmc(length));
            case 0x01 -> group7(in, prefixes);
            case 0x20, 0x21, 0x22, 0x23 -> moveSpecial(opcode, in, prefixes);
            default -> Optional.empty();
        };
    }

    /** 0F 01 with a register-form ModRM: the whole byte selects the instruction, so REX does not change it. */
    private static Optional<PrivilegedInstruction> group7(Cursor in, Prefixes prefixes) {
        int modrm = in.next();
        int length = in.position();
        return switch (modrm) {
            case 0xC1 -> Optional.of(new Vmcall(length));
            case 0xF9 -> Optional.of(new Rdtscp(length));
            // spec: SDM Vol. 2C, XGETBV and XSETBV are "NP": 66/F2/F3 raises #UD or selects another instruction.
            case 0xD0 -> prefixes.sizeOrRepeat() ? Optional.empty() : Optional.of(new Xgetbv(length));
            case 0xD1 -> prefixes.sizeOrRepeat() ? Optional.empty() : Optional.of(new Xsetbv(length));
            default -> Optional.empty();
        };
    }

    /** 0F 20-23 /r: MOV between a general-purpose register (r/m + REX.B) and a CR or DR (reg + REX.R). */
    private static Optional<PrivilegedInstruction> moveSpecial(int opcode, Cursor in, Prefixes prefixes) {
        int modrm = in.next();
        // Stricter than the CPU on purpose: the SDM says the mod bits are ignored, so 0F 22 00 runs as MOV CR0, RAX.
        // No assembler emits that form, and it reads as a memory operand; hdbg reports it as the fault it raised.
        if (modrm < 0 || (modrm >>> 6) != 0b11) {
            return Optional.empty();
        }
        int special = ((modrm >>> 3) & 7) | (prefixes.rexR() ? 8 : 0);
        int gpr = (modrm & 7) | (prefixes.rexB() ? 8 : 0);
        int length = in.position();
        boolean control = opcode == 0x20 || opcode == 0x22;
        if (control ? !Operands.isControlRegister(special) : !Operands.isDebugRegister(special)) {
            return Optional.empty();
        }
        return Optional.of(switch (opcode) {
            case 0x20 -> new MovFromCr(length, special, gpr);
            case 0x21 -> new MovFromDr(length, special, gpr);
            case 0x22 -> new MovToCr(length, special, gpr);
            default -> new MovToDr(length, special, gpr);
        });
    }

    /** Reads the bytes in order, never past the 15th: an instruction cannot extend beyond it. */
    private static final class Cursor {
        static final int END = -1;

        private final byte[] bytes;
        private final int limit;
        private int position;

        Cursor(byte[] bytes) {
            this.bytes = bytes;
            this.limit = Math.min(bytes.length, Operands.MAX_LENGTH);
        }

        /** The next byte as 0..255, consumed; {@link #END} without moving if there is none. */
        int next() {
            return position < limit ? bytes[position++] & 0xFF : END;
        }

        /** The next byte as 0..255, not consumed; {@link #END} if there is none. */
        int peek() {
            return position < limit ? bytes[position] & 0xFF : END;
        }

        /** How many bytes have been consumed: after the last byte of an instruction, its length. */
        int position() {
            return position;
        }
    }

    /**
     * The prefixes before the opcode. {@code rex} is the REX byte that immediately precedes it, or 0 for none (a bare
     * 0x40 changes nothing here either); {@code sizeOrRepeat} is set by 66, F2 or F3.
     */
    private record Prefixes(int rex, boolean lock, boolean sizeOrRepeat) {
        static Prefixes read(Cursor in) {
            int rex = 0;
            boolean lock = false;
            boolean sizeOrRepeat = false;
            while (true) {
                int b = in.peek();
                if (b >= 0x40 && b <= 0x4F) {
                    rex = b;
                } else if (isLegacy(b)) {
                    // spec: SDM Vol. 2A 2.2.1, a REX prefix that is not immediately before the opcode is ignored.
                    rex = 0;
                    lock |= b == 0xF0;
                    sizeOrRepeat |= b == 0x66 || b == 0xF2 || b == 0xF3;
                } else {
                    return new Prefixes(rex, lock, sizeOrRepeat);
                }
                in.next();
            }
        }

        private static boolean isLegacy(int b) {
            return switch (b) {
                case 0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65 -> true;
                default -> false;
            };
        }

        boolean rexW() {
            return (rex & 0b1000) != 0;
        }

        boolean rexR() {
            return (rex & 0b0100) != 0;
        }

        boolean rexB() {
            return (rex & 0b0001) != 0;
        }
    }
}
