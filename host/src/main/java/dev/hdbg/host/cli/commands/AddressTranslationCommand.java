package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.AgentError;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code !va2pa} and {@code !pa2va}. The emulated machine has no physical memory apart from its virtual
 * one: Unicorn maps guest pages by address without page tables of the guest's, so a mapped address is its own
 * physical address and the translation is the identity. An unmapped one gives 0, as HyperDbg shows for an address
 * that does not exist.
 */
abstract class AddressTranslationCommand extends SessionCommand {
    @Parameters(arity = "1..3", paramLabel = "ADDR [pid PID]")
    List<String> args = new ArrayList<>();

    AddressTranslationCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        if (args.size() == 2 || args.size() == 3 && !args.get(1).equalsIgnoreCase("pid")) {
            throw new IllegalArgumentException(name() + " takes an address and optionally pid PID, e.g. " + name()
                    + " 401000");
        }
        long address = session.evaluate(args.getFirst());
        long translated;
        try {
            session.await(session.client().readMemory(address, 1));
            translated = address; // spec: identity on an emulator, see the class comment
        } catch (AgentError e) {
            if (e.kind() != AgentError.Kind.UNMAPPED_ADDRESS) {
                throw e;
            }
            translated = 0;
        }
        out().translated(name(), address, translated);
    }

    abstract String name();

    @Command(name = "!va2pa", description = {"The physical address of a virtual one: the same address on the emulated"
            + " machine, 0 when unmapped: !va2pa ADDR [pid PID]", "Example: !va2pa main"})
    static final class Va2pa extends AddressTranslationCommand {
        Va2pa(DebugSession session) {
            super(session);
        }

        @Override
        String name() {
            return "!va2pa";
        }
    }

    @Command(name = "!pa2va", description = {"The virtual address of a physical one: the same address on the emulated"
            + " machine, 0 when unmapped: !pa2va ADDR [pid PID]", "Example: !pa2va 401000"})
    static final class Pa2va extends AddressTranslationCommand {
        Pa2va(DebugSession session) {
            super(session);
        }

        @Override
        String name() {
            return "!pa2va";
        }
    }
}
