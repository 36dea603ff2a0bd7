package dev.hdbg.agent;

import static dev.hdbg.common.testing.Architecture.exactly;
import static dev.hdbg.common.testing.Architecture.onlyIn;
import static dev.hdbg.common.testing.Architecture.packages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.testing.Architecture;
import dev.hdbg.common.testing.ClassSizes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's layers, read from its compiled classes: {@code server → debugger → vmx → machine → unicorn}, never
 * upwards. The debugger and vmx reach the emulator only through {@code machine.Cpu}; Unicorn's binding is the
 * machine layer's alone (the machine, its loaders and the guest's operating system in {@code os}); the server sees
 * the debugger's API, nothing below it; the wiring in {@code dev.hdbg.agent} may use everything and nothing uses it.
 * Protobuf and Netty stay in the server, the protocol's edge.
 */
class ArchitectureTest {
    private static final Architecture AGENT = Architecture.ofModuleOf(AgentMain.class);

    /** The script compiler is a library of the exit handlers: it knows its {@code ScriptHost}, not the machine. */
    static final Architecture.Layers LAYERS = Architecture.layers()
            .layer("wiring", exactly("dev.hdbg.agent"), "server", "debugger", "vmx", "script", "machine", "unicorn")
            .layer("server", List.of("dev.hdbg.agent.server"), "debugger")
            .layer("debugger", List.of("dev.hdbg.agent.debugger"), "vmx", "script", "machine")
            .layer("vmx", List.of("dev.hdbg.agent.vmx"), "script", "machine")
            .layer("script", List.of("dev.hdbg.agent.script"))
            .layer("machine", List.of("dev.hdbg.agent.machine", "dev.hdbg.agent.os"), "unicorn")
            .layer("unicorn", List.of("dev.hdbg.agent.unicorn"));

    @Test
    void layersDependOnlyDownwardsAndUnicornOnlyThroughTheMachine() {
        assertThat(AGENT.classes()).contains("dev.hdbg.agent.debugger.Debugger", "dev.hdbg.agent.unicorn.Unicorn");
        AGENT.check(LAYERS.rules());
    }

    @Test
    void everyPackageHasItsPlaceAmongTheLayers() {
        AGENT.checkEveryClassIsInALayer("dev.hdbg.agent", LAYERS);
    }

    @Test
    void protobufAndNettyStayInTheServer() {
        AGENT.check(
                onlyIn("protobuf", packages("dev.hdbg.proto", "com.google.protobuf"), "dev.hdbg.agent.server"),
                onlyIn("Netty", packages("io.netty"), "dev.hdbg.agent.server"));
    }

    @Test
    void theAgentKnowsNothingOfTheHost() {
        AGENT.check(Architecture.never("the agent must not depend on the host", packages("dev.hdbg.agent"),
                packages("dev.hdbg.host")));
    }

    @Test
    void noClassIsOver400LinesWithoutSayingWhy() {
        ClassSizes.check(Path.of("src/main/java"));
    }
}
