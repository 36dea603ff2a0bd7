package dev.hdbg.host.cli;

import dev.hdbg.common.disasm.Disassembler;
import java.util.function.Supplier;

/** How a session shows addresses and instructions: HyperDbg's {@code settings addressconversion} and {@code syntax}. */
public final class ShowSettings {
    private volatile boolean addressConversion = true;
    private volatile Disassembler.Syntax disassemblySyntax = Disassembler.Syntax.INTEL;

    /** Whether an address inside a known symbol is shown as {@code main+0x12} too. */
    public boolean addressConversion() {
        return addressConversion;
    }

    /** {@code settings addressconversion on|off}. */
    public void addressConversion(boolean on) {
        addressConversion = on;
    }

    /** The syntax every disassembly of the session is shown in ({@code settings syntax}). */
    public Disassembler.Syntax disassemblySyntax() {
        return disassemblySyntax;
    }

    /** {@code settings syntax intel|att|masm}. */
    public void disassemblySyntax(Disassembler.Syntax syntax) {
        disassemblySyntax = syntax;
    }

    /** Opens a disassembler ({@code x86_64()} or {@code x86_32()}) set to the session's syntax. */
    public Disassembler disassembler(Supplier<Disassembler> mode) {
        Disassembler disassembler = mode.get();
        try {
            return disassembler.syntax(disassemblySyntax);
        } catch (RuntimeException e) {
            disassembler.close();
            throw e;
        }
    }
}
