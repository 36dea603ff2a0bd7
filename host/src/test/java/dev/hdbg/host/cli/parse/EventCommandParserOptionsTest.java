package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventOptions.Stage;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.host.cli.parse.EventCommandParser.ParsedEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HyperDbg's event options (pid, core, sc, stage, output, mask) and how they may combine. */
class EventCommandParserOptionsTest {
    private static final String VALID = "(valid: code script buffer log break condition imm disabled pid core sc stage output asm)";
    private static final LogConfiguration LOG_RAX = new LogConfiguration(List.of(new LogItem.Register("rax")));

    private static EventSpec parse(String line) {
        return EventCommandParser.parse(CommandTokenizer.tokenize(line));
    }

    private static ParsedEvent parseCommand(String line) {
        return EventCommandParser.parseCommand(CommandTokenizer.tokenize(line));
    }

    private static EventOptions options(String line) {
        return parse(line).options();
    }

    @Test
    void pidAndCoreNarrowTheEventAndAllMeansAny() {
        assertThat(parse("!tsc pid all core 0")).isEqualTo(new EventSpec(EventType.TSC, 0, 0, Set.of(), OptionalLong.empty(),
                OptionalLong.empty(), new EventOptions(OptionalLong.empty(), OptionalInt.of(0), Stage.PRE, false),
                Optional.empty(), List.of(new ActionSpec.Break()), true));
        assertThat(options("!cpuid pid 0n1234 core ALL"))
                .isEqualTo(new EventOptions(OptionalLong.of(1234), OptionalInt.empty(), Stage.PRE, false));
        assertThat(options("!cpuid core 7fffffff").core()).isEqualTo(OptionalInt.of(Integer.MAX_VALUE));
    }

    @Test
    void stageSelectsPrePostOrAllAndDefaultsToPre() {
        assertThat(options("!cpuid stage pre").stage()).isEqualTo(Stage.PRE);
        assertThat(options("!cpuid stage POST").stage()).isEqualTo(Stage.POST);
        assertThat(options("!cpuid stage all").stage()).isEqualTo(Stage.ALL);
        assertThat(options("!cpuid").stage()).isEqualTo(Stage.PRE);
    }

    @Test
    void scTurnsShortCircuitingOnOrOffAndDefaultsToOff() {
        assertThat(options("!vmcall sc on").shortCircuit()).isTrue();
        assertThat(options("!vmcall sc on stage pre").shortCircuit()).isTrue();
        assertThat(options("!vmcall sc off stage post"))
                .isEqualTo(new EventOptions(OptionalLong.empty(), OptionalInt.empty(), Stage.POST, false));
        assertThat(options("!vmcall").shortCircuit()).isFalse();
    }

    @Test
    void outputIsReturnedBesideTheSpec() {
        ParsedEvent parsed = parseCommand("!epthook 401000 log {rax} output {MyOutputName1} imm yes");

        assertThat(parsed.output()).contains("MyOutputName1");
        assertThat(parsed.spec()).isEqualTo(EventSpec.eptHook(0x401000, List.of(new ActionSpec.Log(LOG_RAX, true))));
        assertThat(parseCommand("!cpuid output { name }").output()).contains("name");
        assertThat(parseCommand("!cpuid").output()).isEmpty();
        // HyperDbg's several sources, separated by commas, up to five
        assertThat(parseCommand("!syscall script { print(@rax); } output {MyOutputName1 , MyOutputName2 , MyOutputName3}")
                .outputs()).containsExactly("MyOutputName1", "MyOutputName2", "MyOutputName3");
        assertThat(parse("!cpuid output {x}")).isEqualTo(EventSpec.cpuid(List.of(new ActionSpec.Break())));
    }

    @Test
    void allOptionsTogetherInAnyOrder() {
        ParsedEvent parsed = parseCommand("!monitor rwx 1000 l 10 disabled core 2 output {o} log {rax} pid 4"
                + " stage pre sc on condition {c3}");

        assertThat(parsed.output()).contains("o");
        assertThat(parsed.spec().options())
                .isEqualTo(new EventOptions(OptionalLong.of(4), OptionalInt.of(2), Stage.PRE, true));
        assertThat(parsed.spec().enabled()).isFalse();
        assertThat(parsed.spec().end()).isEqualTo(0x100f);
        assertThat(parsed.spec().condition()).isPresent();
        assertThat(parsed.spec().actions()).containsExactly(new ActionSpec.Log(LOG_RAX, true));
    }

    @Test
    void rejectsScOnWithAStageOtherThanPre() {
        assertThatThrownBy(() -> parse("!monitor w 400080 l 8 sc on stage post"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sc on needs stage pre: after the instruction ran there is nothing left to skip (got stage post)");
        assertThatThrownBy(() -> parse("!syscall stage all sc on"))
                .hasMessage("sc on needs stage pre: after the instruction ran there is nothing left to skip (got stage all)");
    }

    @Test
    void rejectsImmNoWithOutput() {
        assertThatThrownBy(() -> parse("!cpuid log {rax} imm no output {o}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("imm no cannot be combined with output: forwarded records are sent at once");
        assertThatThrownBy(() -> parse("!cpuid output {o} imm no"))
                .hasMessage("imm no cannot be combined with output: forwarded records are sent at once");
    }

    @Test
    void rejectsRepeatedOptions() {
        for (String repeated : List.of("stage pre stage post", "sc on sc off", "pid 4 pid all", "core 0 core 1",
                "output {a} output {b}")) {
            String option = repeated.substring(0, repeated.indexOf(' '));
            assertThatThrownBy(() -> parse("!cpuid " + repeated))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(option + " given twice (give it once per command)");
        }
        assertThatThrownBy(() -> parse("!crwrite cr0 mask 1 mask 2"))
                .hasMessage("mask given twice (give it once per command)");
    }

    @Test
    void rejectsPidAndCoreWithoutOrWithABadValue() {
        assertThatThrownBy(() -> parse("!cpuid pid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pid needs a process id or all, e.g. pid 4 or pid all");
        assertThatThrownBy(() -> parse("!cpuid pid core 1"))
                .hasMessage("pid needs a process id or all, e.g. pid 4 or pid all");
        assertThatThrownBy(() -> parse("!cpuid pid -1"))
                .hasMessage("pid -1 is not a process id (1 .. 0x400000), e.g. pid 3e8 or pid all");
        assertThatThrownBy(() -> parse("!cpuid pid 0")).hasMessageStartingWith("pid 0 is not a process id");
        assertThatThrownBy(() -> parse("!cpuid pid me"))
                .hasMessage("pid: not a number: 'me' (numbers are hex by default; write 0n10 for decimal)");
        assertThatThrownBy(() -> parse("!cpuid core"))
                .hasMessage("core needs a core number or all, e.g. core 0 or core all");
        assertThatThrownBy(() -> parse("!cpuid core {0}"))
                .hasMessage("core needs a core number or all, e.g. core 0 or core all");
        assertThatThrownBy(() -> parse("!cpuid core 80000000"))
                .hasMessage("core 80000000 is out of range (0 .. 0x7fffffff), e.g. core 0");
        assertThatThrownBy(() -> parse("!cpuid core -1"))
                .hasMessage("core -1 is out of range (0 .. 0x7fffffff), e.g. core 0");
    }

    @Test
    void rejectsScAndStageWithoutAValidWord() {
        assertThatThrownBy(() -> parse("!cpuid sc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sc needs on or off, e.g. sc on");
        assertThatThrownBy(() -> parse("!cpuid sc yes"))
                .hasMessage("sc needs on or off, e.g. sc on");
        assertThatThrownBy(() -> parse("!cpuid stage"))
                .hasMessage("stage needs pre, post or all, e.g. stage post");
        assertThatThrownBy(() -> parse("!cpuid stage before"))
                .hasMessage("stage needs pre, post or all, e.g. stage post");
    }

    @Test
    void rejectsOutputWithoutOneName() {
        assertThatThrownBy(() -> parse("!cpuid output"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("output needs {NAME}, the output source to forward to, e.g. output {MyOutputName1}");
        assertThatThrownBy(() -> parse("!cpuid output name"))
                .hasMessage("output needs {NAME}, the output source to forward to, e.g. output {MyOutputName1}");
        assertThatThrownBy(() -> parse("!cpuid output { }"))
                .hasMessage("output {} names no output source, e.g. output {MyOutputName1}");
        assertThatThrownBy(() -> parse("!cpuid output {a b}"))
                .hasMessage("output {a b}: separate the output source names with commas, e.g. output {MyOutputName1, MyOutputName2}");
        assertThatThrownBy(() -> parse("!cpuid output {a, , b}"))
                .hasMessage("output {a, , b} names no output source between two commas, e.g. output {MyOutputName1}");
        assertThatThrownBy(() -> parse("!cpuid output {a, a}")).hasMessage("output {a, a} names a twice");
        assertThatThrownBy(() -> parse("!cpuid output {a, b, c, d, e, f}"))
                .hasMessage("output {a, b, c, d, e, f} names 6 output sources; an event may forward to at most 5");
    }

    @Test
    void rejectsMaskWithoutAUsableNumberOrOutsideCrWrite() {
        assertThatThrownBy(() -> parse("!crwrite cr0 mask"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask needs a number, the CR bits to watch, e.g. mask 0x20");
        assertThatThrownBy(() -> parse("!crwrite cr0 mask pe"))
                .hasMessage("mask: not a number: 'pe' (numbers are hex by default; write 0n10 for decimal)");
        assertThatThrownBy(() -> parse("!crwrite cr0 mask 0"))
                .hasMessage("mask 0 selects no bit, so the event could never trigger"
                        + " (leave mask out to watch every bit), e.g. mask 0x20");
        assertThatThrownBy(() -> parse("!cpuid mask 20"))
                .hasMessage("unknown option 'mask' for !cpuid " + VALID);
    }

    @Test
    void unknownOptionsListTheCommandsValidOptions() {
        assertThatThrownBy(() -> parse("!tsc scripts {x}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option 'scripts' for !tsc " + VALID);
        assertThatThrownBy(() -> parse("!crwrite cr4 output {o} filter 1"))
                .hasMessage("unknown option 'filter' for !crwrite "
                        + "(valid: code script buffer log break condition imm disabled pid core sc stage output mask asm)");
    }

    @Test
    void constructorErrorsAreRethrownNamingTheCommand() {
        assertThatThrownBy(() -> EventCommandParser.naming(EventType.MONITOR,
                () -> new EventOptions(OptionalLong.empty(), OptionalInt.empty(), Stage.POST, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!monitor: sc on needs stage pre: after the instruction ran there is nothing left to skip")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventCommandParser.naming(EventType.INTERRUPT,
                () -> new EventSpec(EventType.INTERRUPT, 0, OptionalLong.empty(), Optional.empty(), List.of(), true)))
                .hasMessage("!interrupt needs a vector, 32 .. 255 (0x20 .. 0xff)")
                .hasNoCause();
        assertThat(EventCommandParser.naming(EventType.TSC, () -> "built")).isEqualTo("built");
    }
}
