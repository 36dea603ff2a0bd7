package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

/**
 * HyperDbg's {@code cpu}: the emulated CPU's vendor, brand and instruction-set extensions, from the CPUID leaves the
 * guest's own CPUID instruction would get (the agent executes CPUID on its vmx-root CPU and adds what the guest's
 * CPUID is given beyond Unicorn's model).
 */
@Command(name = "cpu", description = {"Collects a report of the emulated CPU's features from its CPUID (HyperDbg): cpu"})
final class CpuCommand extends SessionCommand {
    CpuCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        CpuFeatures features = CpuFeatures.decode(leaf -> session.await(session.client().cpuid(leaf, 0)));
        out().cpuFeatures(features.vendor(), features.brand(), features.features());
    }
}
