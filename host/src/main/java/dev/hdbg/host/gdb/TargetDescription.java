package dev.hdbg.host.gdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The amd64 register file as gdb numbers it for a Linux target (gdb's {@code amd64-linux} description without AVX):
 * {@code org.gnu.gdb.i386.core} (general registers, rip, eflags, segment selectors, the x87 stack),
 * {@code .sse} (xmm0-15, mxcsr), {@code .linux} ({@code orig_rax}) and {@code .segments} ({@code fs_base},
 * {@code gs_base}: gdb 8 and later look for them there, no longer in {@code .linux}). The {@code g} packet carries the
 * registers in this order ({@link #REGISTERS}), each little-endian at its size.
 */
final class TargetDescription {
    /** Where a register's value comes from. */
    enum Source {
        /** hdbg's register of the same name ({@link Register#hdbgName}). */
        HDBG,
        /** xmm{@link Register#index}, read as 16 bytes. */
        XMM,
        /** What hdbg does not model (the x87 unit, mxcsr): reported unavailable, as gdbserver does. */
        UNAVAILABLE,
        /** {@code orig_rax}: the system call being restarted; -1 outside one, as Linux reports it. */
        ORIG_RAX
    }

    /** One register: gdb's name and number, its size in bytes, and where hdbg keeps it. */
    record Register(int number, String name, int bytes, String type, String group, Source source, String hdbgName,
                    int index) {
    }

    static final List<Register> REGISTERS = build();

    /** gdb's numbers of the registers a stop reply carries, so that a step needs no {@code g}: rbp, rsp, rip. */
    static final List<Integer> EXPEDITED = List.of(6, 7, 16);

    private TargetDescription() {
    }

    private static List<Register> build() {
        List<Register> regs = new ArrayList<>();
        String[] general = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
        for (String name : general) {
            String type = name.equals("rbp") || name.equals("rsp") ? "data_ptr" : "int64";
            regs.add(new Register(regs.size(), name, 8, type, "general", Source.HDBG, name, 0));
        }
        regs.add(new Register(regs.size(), "rip", 8, "code_ptr", "general", Source.HDBG, "rip", 0));
        regs.add(new Register(regs.size(), "eflags", 4, "i386_eflags", "general", Source.HDBG, "rflags", 0));
        for (String segment : new String[] {"cs", "ss", "ds", "es", "fs", "gs"}) {
            regs.add(new Register(regs.size(), segment, 4, "int32", "general", Source.HDBG, segment, 0));
        }
        for (int i = 0; i < 8; i++) {
            regs.add(new Register(regs.size(), "st" + i, 10, "i387_ext", "float", Source.UNAVAILABLE, null, 0));
        }
        for (String x87 : new String[] {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"}) {
            regs.add(new Register(regs.size(), x87, 4, "int", "float", Source.UNAVAILABLE, null, 0));
        }
        for (int i = 0; i < 16; i++) {
            regs.add(new Register(regs.size(), "xmm" + i, 16, "vec128", "vector", Source.XMM, null, i));
        }
        regs.add(new Register(regs.size(), "mxcsr", 4, "i386_mxcsr", "vector", Source.UNAVAILABLE, null, 0));
        regs.add(new Register(regs.size(), "orig_rax", 8, "int", "system", Source.ORIG_RAX, null, 0));
        regs.add(new Register(regs.size(), "fs_base", 8, "int", "system", Source.HDBG, "fs_base", 0));
        regs.add(new Register(regs.size(), "gs_base", 8, "int", "system", Source.HDBG, "gs_base", 0));
        return List.copyOf(regs);
    }

    static Optional<Register> byNumber(long number) {
        return number >= 0 && number < REGISTERS.size() ? Optional.of(REGISTERS.get((int) number)) : Optional.empty();
    }

    /** {@code target.xml}, which gdb reads with {@code qXfer:features:read}. */
    static String xml() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                + "<target version=\"1.0\">\n<architecture>i386:x86-64</architecture>\n<osabi>GNU/Linux</osabi>\n");
        feature(xml, "org.gnu.gdb.i386.core", 0, 40);
        feature(xml, "org.gnu.gdb.i386.sse", 40, 57);
        feature(xml, "org.gnu.gdb.i386.linux", 57, 58);
        feature(xml, "org.gnu.gdb.i386.segments", 58, 60);
        return xml.append("</target>\n").toString();
    }

    private static void feature(StringBuilder xml, String name, int from, int to) {
        xml.append("<feature name=\"").append(name).append("\">\n");
        if (name.endsWith(".core")) {
            xml.append(CORE_TYPES);
        } else if (name.endsWith(".sse")) {
            xml.append(SSE_TYPES);
        }
        for (Register r : REGISTERS.subList(from, to)) {
            xml.append("  <reg name=\"").append(r.name()).append("\" bitsize=\"").append(r.bytes() * 8)
                    .append("\" type=\"").append(r.type()).append("\" regnum=\"").append(r.number())
                    .append("\" group=\"").append(r.group()).append("\"/>\n");
        }
        xml.append("</feature>\n");
    }

    // gdb's own 64bit-core.xml and 64bit-sse.xml types, so that gdb shows eflags' and mxcsr's flags by name.
    private static final String CORE_TYPES = """
              <flags id="i386_eflags" size="4">
                <field name="CF" start="0" end="0"/>
                <field name="" start="1" end="1"/>
                <field name="PF" start="2" end="2"/>
                <field name="AF" start="4" end="4"/>
                <field name="ZF" start="6" end="6"/>
                <field name="SF" start="7" end="7"/>
                <field name="TF" start="8" end="8"/>
                <field name="IF" start="9" end="9"/>
                <field name="DF" start="10" end="10"/>
                <field name="OF" start="11" end="11"/>
                <field name="NT" start="14" end="14"/>
                <field name="RF" start="16" end="16"/>
                <field name="VM" start="17" end="17"/>
                <field name="AC" start="18" end="18"/>
                <field name="VIF" start="19" end="19"/>
                <field name="VIP" start="20" end="20"/>
                <field name="ID" start="21" end="21"/>
              </flags>
            """;

    private static final String SSE_TYPES = """
              <vector id="v8bf16" type="bfloat16" count="8"/>
              <vector id="v4f" type="ieee_single" count="4"/>
              <vector id="v2d" type="ieee_double" count="2"/>
              <vector id="v16i8" type="int8" count="16"/>
              <vector id="v8i16" type="int16" count="8"/>
              <vector id="v4i32" type="int32" count="4"/>
              <vector id="v2i64" type="int64" count="2"/>
              <union id="vec128">
                <field name="v8_bfloat16" type="v8bf16"/>
                <field name="v4_float" type="v4f"/>
                <field name="v2_double" type="v2d"/>
                <field name="v16_int8" type="v16i8"/>
                <field name="v8_int16" type="v8i16"/>
                <field name="v4_int32" type="v4i32"/>
                <field name="v2_int64" type="v2i64"/>
                <field name="uint128" type="uint128"/>
              </union>
              <flags id="i386_mxcsr" size="4">
                <field name="IE" start="0" end="0"/>
                <field name="DE" start="1" end="1"/>
                <field name="ZE" start="2" end="2"/>
                <field name="OE" start="3" end="3"/>
                <field name="UE" start="4" end="4"/>
                <field name="PE" start="5" end="5"/>
                <field name="DAZ" start="6" end="6"/>
                <field name="IM" start="7" end="7"/>
                <field name="DM" start="8" end="8"/>
                <field name="ZM" start="9" end="9"/>
                <field name="OM" start="10" end="10"/>
                <field name="UM" start="11" end="11"/>
                <field name="PM" start="12" end="12"/>
                <field name="FZ" start="15" end="15"/>
              </flags>
            """;

    /** Where a register starts in the {@code g} packet's bytes. */
    static int offsetOf(Register register) {
        int offset = 0;
        for (Register r : REGISTERS) {
            if (r == register) {
                return offset;
            }
            offset += r.bytes();
        }
        throw new IllegalArgumentException(register.name());
    }

    /** The {@code g} packet's size in bytes. */
    static int totalBytes() {
        return REGISTERS.stream().mapToInt(Register::bytes).sum();
    }
}
