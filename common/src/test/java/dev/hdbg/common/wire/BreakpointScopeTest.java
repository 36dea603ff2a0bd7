package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.Scope;
import dev.hdbg.proto.v1.BreakpointScope;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link Scope}, the one filter of events' pid/core and bp's pid/tid/core, and its wire form (since 1.14). */
class BreakpointScopeTest {
    private static final Scope CHILD = new Scope(OptionalLong.of(1001), OptionalLong.empty(), OptionalInt.empty());
    private static final Scope WORKER = new Scope(OptionalLong.empty(), OptionalLong.of(1001), OptionalInt.of(1));

    @Test
    void eachGivenIdMustMatchAndAnAbsentOneMatchesAll() {
        assertThat(Scope.ALL.admits(1000, 1000, 0)).isTrue();
        assertThat(CHILD.admits(1001, 1002, 3)).isTrue();
        assertThat(CHILD.admits(1000, 1001, 1)).isFalse();
        assertThat(WORKER.admits(1000, 1001, 1)).isTrue();
        assertThat(WORKER.admits(1000, 1001, 0)).as("the thread on another core").isFalse();
        assertThat(WORKER.admits(1000, 1000, 1)).as("another thread on the core").isFalse();
    }

    @Test
    void anEventsScopeIsItsPidAndCoreOptions() {
        EventOptions options = EventOptions.DEFAULT.withPid(OptionalLong.of(1001)).withCore(OptionalInt.of(2));
        assertThat(Scope.of(options)).isEqualTo(new Scope(OptionalLong.of(1001), OptionalLong.empty(), OptionalInt.of(2)));
    }

    @Test
    void theOptionsAreWrittenAsBpTakesThemAndSurviveTheWire() {
        assertThat(WORKER.options()).isEqualTo("tid 3e9 core 1");
        assertThat(CHILD.options()).isEqualTo("pid 3e9");
        assertThat(Scope.ALL.options()).isEmpty();
        for (Scope scope : new Scope[] {Scope.ALL, CHILD, WORKER,
                new Scope(OptionalLong.of(1), OptionalLong.of(2), OptionalInt.of(0))}) {
            assertThat(ExecutionCodec.decode(ExecutionCodec.encode(scope))).isEqualTo(scope);
        }
        assertThat(ExecutionCodec.decode(BreakpointScope.getDefaultInstance()))
                .as("an older host's request: no scope").isEqualTo(Scope.ALL);
    }
}
