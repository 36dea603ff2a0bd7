package dev.hdbg.common;

import static dev.hdbg.common.testing.Architecture.onlyIn;
import static dev.hdbg.common.testing.Architecture.packages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.testing.Architecture;
import dev.hdbg.common.testing.ClassSizes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What both sides share knows neither side, and keeps protobuf and Netty in {@code wire}, where the codecs and the
 * shared framing translate between the typed model and the wire.
 */
class ArchitectureTest {
    private static final Architecture COMMON = Architecture.ofModuleOf(EventSpec.class);

    @Test
    void commonKnowsNeitherTheAgentNorTheHost() {
        assertThat(COMMON.classes()).contains("dev.hdbg.common.event.EventSpec");
        COMMON.check(Architecture.never("common is below both sides", packages("dev.hdbg.common"),
                packages("dev.hdbg.agent", "dev.hdbg.host")));
    }

    @Test
    void protobufAndNettyStayInTheWireCodecs() {
        COMMON.check(
                onlyIn("protobuf", packages("dev.hdbg.proto", "com.google.protobuf"), "dev.hdbg.common.wire"),
                onlyIn("Netty", packages("io.netty"), "dev.hdbg.common.wire"));
    }

    @Test
    void noClassIsOver400LinesWithoutSayingWhy() {
        ClassSizes.check(Path.of("src/main/java"));
    }
}
