package dev.hdbg.host;

import static dev.hdbg.common.testing.Architecture.onlyIn;
import static dev.hdbg.common.testing.Architecture.packages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.testing.Architecture;
import dev.hdbg.common.testing.ClassSizes;
import java.nio.file.Path;
import dev.hdbg.host.cli.HdbgMain;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host's layers, read from its compiled classes, as {@code dev.hdbg.agent.ArchitectureTest} reads the agent's:
 * the command line uses the gdb bridge, the client (the Java API) and the disassembler; the bridge uses the client
 * (it reaches hdbg's commands through an interface the command line implements), and none of them knows the command
 * line. Protobuf and Netty stay in the client, the protocol's edge: the command line never sees a generated type.
 * The agent is the demo's alone, which runs one in its own process.
 */
class ArchitectureTest {
    private static final Architecture HOST = Architecture.ofModuleOf(HdbgMain.class);

    private static final Architecture.Layers LAYERS = Architecture.layers()
            .layer("cli", List.of("dev.hdbg.host.cli"), "gdb", "client", "asm")
            .layer("gdb", List.of("dev.hdbg.host.gdb"), "client")
            .layer("client", List.of("dev.hdbg.host.client"))
            .layer("asm", List.of("dev.hdbg.host.asm"));

    @Test
    void theCommandLineUsesTheClientAndTheClientNotTheCommandLine() {
        assertThat(HOST.classes()).contains("dev.hdbg.host.cli.HdbgMain", "dev.hdbg.host.client.DebuggerClient");
        HOST.check(LAYERS.rules());
    }

    @Test
    void everyPackageHasItsPlaceAmongTheLayers() {
        HOST.checkEveryClassIsInALayer("dev.hdbg.host", LAYERS);
    }

    @Test
    void protobufAndNettyStayInTheClient() {
        HOST.check(
                onlyIn("protobuf", packages("dev.hdbg.proto", "com.google.protobuf"), "dev.hdbg.host.client"),
                onlyIn("Netty", packages("io.netty"), "dev.hdbg.host.client"));
    }

    @Test
    void onlyTheDemoStartsAnAgent() {
        HOST.check(Architecture.never("only the demo runs an agent (in its own process)",
                packages("dev.hdbg.host").and(name -> !name.startsWith("dev.hdbg.host.cli.DemoCommand")),
                packages("dev.hdbg.agent")));
    }

    @Test
    void noClassIsOver400LinesWithoutSayingWhy() {
        ClassSizes.check(Path.of("src/main/java"));
    }
}
