package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.script.SymbolResolver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCommandParserTest {
    private static final MachineCode INC_QWORD_RCX = MachineCode.of(new byte[] {0x48, (byte) 0xff, 0x01});
    private static final MachineCode XOR_RAX_RAX = MachineCode.of(new byte[] {0x48, 0x31, (byte) 0xc0});
    private static final String VALID = "(valid: code script buffer log break condition imm disabled pid core sc stage output asm)";
    private static final String COMMANDS = "!epthook !epthook2 !monitor !syscall !sysret !cpuid !msrread !msrwrite"
            + " !tsc !pmc !vmcall !ioin !ioout !exception !interrupt !dr !crwrite !xsetbv !mode !trace";

    private static EventSpec parse(String line) {
        return EventCommandParser.parse(CommandTokenizer.tokenize(line));
    }

    @Test
    void parsesTheEptHookExampleWithCustomCodeBufferAndImm() {
        EventSpec event = parse("!epthook fffff801`deadbeef code {48 ff 01} buffer 0x100 imm no");

        assertThat(event).isEqualTo(new EventSpec(EventType.EPT_HOOK, 0xfffff801_deadbeefL, OptionalLong.empty(),
                Optional.empty(), List.of(new ActionSpec.CustomCode(INC_QWORD_RCX, 0x100, false)), true));
    }

    @Test
    void parsesTheCpuidExampleWithLeafConditionAndLog() {
        EventSpec event = parse("!cpuid 1 condition {48 31 c0} log {regs [rsp+8]:0x20 $context $tid}");

        LogConfiguration log = new LogConfiguration(List.of(new LogItem.AllGprs(),
                new LogItem.Memory(Optional.of("rsp"), 8, 0x20),
                new LogItem.PseudoRegister("context"), new LogItem.PseudoRegister("tid")));
        assertThat(event).isEqualTo(new EventSpec(EventType.CPUID, 0, OptionalLong.of(1), Optional.of(XOR_RAX_RAX),
                List.of(new ActionSpec.Log(log, true)), true));
    }

    @Test
    void aCommandWithoutActionClausesBreaks() {
        assertThat(parse("!epthook 401000")).isEqualTo(EventSpec.eptHook(0x401000, List.of(new ActionSpec.Break())));
        assertThat(parse("!cpuid")).isEqualTo(EventSpec.cpuid(List.of(new ActionSpec.Break())));
        assertThat(parse("!cpuid condition {48 31 c0} disabled").actions()).containsExactly(new ActionSpec.Break());
    }

    @Test
    void keepsActionsInTheOrderTheirClausesAppear() {
        EventSpec event = parse("!epthook 401000 log {rax} break code {90 c3} log {$ip}");

        assertThat(event.actions()).containsExactly(
                new ActionSpec.Log(new LogConfiguration(List.of(new LogItem.Register("rax"))), true),
                new ActionSpec.Break(),
                new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0x90, (byte) 0xc3}), 0, true),
                new ActionSpec.Log(new LogConfiguration(List.of(new LogItem.PseudoRegister("ip"))), true));
    }

    @Test
    void bufferAndImmApplyToEveryMatchingActionWhereverTheyStand() {
        EventSpec event = parse("!cpuid imm no buffer 0n64 code {90} log {regs} code {c3}");

        assertThat(event.actions()).containsExactly(
                new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0x90}), 64, false),
                new ActionSpec.Log(new LogConfiguration(List.of(new LogItem.AllGprs())), false),
                new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0xc3}), 64, false));
    }

    @Test
    void immYesAndDefaultAreImmediate() {
        assertThat(parse("!cpuid log {rax} imm YES").actions().getFirst().immediate()).isTrue();
        assertThat(parse("!cpuid log {rax}").actions().getFirst().immediate()).isTrue();
    }

    @Test
    void disabledCreatesTheEventUnarmed() {
        assertThat(parse("!epthook 401000 disabled").enabled()).isFalse();
        assertThat(parse("!epthook 401000").enabled()).isTrue();
    }

    @Test
    void keywordsAreCaseInsensitive() {
        EventSpec event = parse("!EptHook 401000 CODE {90} Buffer 10 IMM no BREAK DISABLED");

        assertThat(event.type()).isEqualTo(EventType.EPT_HOOK);
        assertThat(event.enabled()).isFalse();
        assertThat(event.actions()).containsExactly(
                new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0x90}), 0x10, false),
                new ActionSpec.Break());
    }

    @Test
    void cpuidTakesAnyNumberSyntaxAsItsLeafAndNoLeafMeansEveryLeaf() {
        assertThat(parse("!cpuid 0n16 break").filter()).isEqualTo(OptionalLong.of(16));
        assertThat(parse("!cpuid 4000`0000").filter()).isEqualTo(OptionalLong.of(0x4000_0000L));
        assertThat(parse("!cpuid ffffffff").filter()).isEqualTo(OptionalLong.of(0xffff_ffffL));
        assertThat(parse("!cpuid break").filter()).isEmpty();
    }

    @Test
    void bufferAcceptsZeroAndTheMaximum() {
        assertThat(parse("!cpuid code {90} buffer 0").actions())
                .containsExactly(new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0x90}), 0, true));
        assertThat(parse("!cpuid code {90} buffer 100000").actions().getFirst())
                .isEqualTo(new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0x90}),
                        EventCommandParser.MAX_BUFFER_SIZE, true));
        assertThat(EventCommandParser.MAX_BUFFER_SIZE).isEqualTo(1 << 20);
    }

    @Test
    void rejectsEmptyAndForeignCommands() {
        assertThatThrownBy(() -> EventCommandParser.parse(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no command (expected one of " + COMMANDS + ")");
        assertThatThrownBy(() -> parse("!bp 401000"))
                .hasMessage("not an event command: '!bp' (expected one of " + COMMANDS + ")");
        assertThatThrownBy(() -> parse("!epthook3 401000"))
                .hasMessage("not an event command: '!epthook3' (expected one of " + COMMANDS + ")");
    }

    @Test
    void rejectsAnEptHookWithoutAnAddress() {
        assertThatThrownBy(() -> parse("!epthook"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!epthook needs an address, e.g. !epthook 401000");
        assertThatThrownBy(() -> parse("!epthook code {90}"))
                .hasMessage("!epthook needs an address, e.g. !epthook 401000");
    }

    @Test
    void rejectsABadAddress() {
        assertThatThrownBy(() -> parse("!epthook main"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!epthook address: not a number: 'main' (numbers are hex by default; write 0n10 for decimal)");
    }

    @Test
    void rejectsABadOrTooWideCpuidLeaf() {
        assertThatThrownBy(() -> parse("!cpuid 0n1x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!cpuid leaf: not a decimal number: '0n1x' (after 0n come the digits 0-9)");
        assertThatThrownBy(() -> parse("!cpuid 1`0000`0000"))
                .hasMessage("!cpuid leaf 1`0000`0000 does not fit in 32 bits (CPUID takes its leaf in EAX), e.g. !cpuid 1");
        assertThatThrownBy(() -> parse("!cpuid -1"))
                .hasMessageStartingWith("!cpuid leaf -1 does not fit in 32 bits");
    }

    @Test
    void scriptClauseAddsAScriptActionInItsPlaceWithImm() {
        EventSpec spec = parse("!epthook 40000a log {rdi} script { if (@rdi == 7) { printf(\"}\"); pause(); } } imm no");

        assertThat(spec.actions()).hasSize(2);
        assertThat(spec.actions().get(1)).isEqualTo(
                new ActionSpec.Script(" if (@rdi == 7) { printf(\"}\"); pause(); } ", false));
    }

    @Test
    void scriptWithErrorsIsRefusedWithItsCaretAndLine() {
        assertThatThrownBy(() -> parse("!syscall script {\n  .n = 1;\n  if (@rax == ) { }\n}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("script has errors, nothing was added:\n"
                        + "script:3:15: error: expected an expression, found ')'\n"
                        + "  if (@rax == ) { }\n"
                        + "              ^");
    }

    @Test
    void scriptNamesTheTargetsSymbolsWhenGivenThem() {
        String text = "!epthook 401000 script { if (@rip == main) { pause(); } }";
        assertThatThrownBy(() -> parse(text)).hasMessageContaining("main");
        EventSpec spec = EventCommandParser.parseCommand(CommandTokenizer.tokenize(text),
                SymbolResolver.of(java.util.Map.of("main", 0x401000L))).spec();
        assertThat(spec.actions()).singleElement().isInstanceOf(ActionSpec.Script.class);
    }

    @Test
    void scriptFromAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("hits.ds");
        java.nio.file.Files.writeString(file, ".hits++;\n");
        assertThat(parse("!cpuid script {file:" + file + "}").actions())
                .containsExactly(new ActionSpec.Script(".hits++;\n", true));
        assertThatThrownBy(() -> parse("!cpuid script {file:" + dir + "}")).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> parse("!cpuid script {}")).hasMessageContaining("script {} is empty");
    }

    @Test
    void rejectsAnUnknownOptionListingTheValidOnes() {
        assertThatThrownBy(() -> parse("!epthook 401000 scrip {90}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option 'scrip' for !epthook " + VALID);
        assertThatThrownBy(() -> parse("!cpuid zz")).hasMessage("unknown option 'zz' for !cpuid " + VALID);
        // A leaf is only taken right after the command.
        assertThatThrownBy(() -> parse("!cpuid break 1")).hasMessage("unknown option '1' for !cpuid " + VALID);
    }

    @Test
    void rejectsCodeAndConditionWithoutBytes() {
        assertThatThrownBy(() -> parse("!epthook 401000 code"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("code needs {HEX BYTES}, e.g. code {90 c3}");
        assertThatThrownBy(() -> parse("!epthook 401000 code 90 c3"))
                .hasMessage("code needs {HEX BYTES}, e.g. code {90 c3}");
        assertThatThrownBy(() -> parse("!cpuid condition break"))
                .hasMessage("condition needs {HEX BYTES}, e.g. condition {48 31 c0 c3}");
    }

    @Test
    void rejectsEmptyByteGroups() {
        assertThatThrownBy(() -> parse("!cpuid code { }"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("code {} is empty (give the bytes to run, e.g. code {90 c3})");
        assertThatThrownBy(() -> parse("!cpuid condition {}"))
                .hasMessage("condition {} is empty (give the bytes to run, e.g. condition {48 31 c0 c3})");
    }

    @Test
    void rejectsMalformedBytesNamingTheOption() {
        assertThatThrownBy(() -> parse("!cpuid code {48 f 01}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("code: odd number of hex digits in 'f' (each byte takes two digits: write 0f, not f)");
        assertThatThrownBy(() -> parse("!cpuid condition {zz}"))
                .hasMessage("condition: not hex: 'zz' (write bytes as hex pairs, e.g. 48 ff 01)");
    }

    @Test
    void rejectsARepeatedCondition() {
        assertThatThrownBy(() -> parse("!cpuid condition {90} condition {c3}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("condition given twice (an event has one condition)");
    }

    @Test
    void rejectsLogWithoutOrWithABadSpec() {
        assertThatThrownBy(() -> parse("!cpuid log"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("log needs {ITEMS}, e.g. log {regs $context [rsp]:8}");
        assertThatThrownBy(() -> parse("!cpuid log rax"))
                .hasMessage("log needs {ITEMS}, e.g. log {regs $context [rsp]:8}");
        assertThatThrownBy(() -> parse("!cpuid log {regs $foo}"))
                .hasMessage("log: unknown pseudo-register '$foo' at position 6"
                        + " (valid: $buffer $context $core $date $event_id $event_stage $event_tag $ip $peb $pid $pname $proc $teb $thread $tid $time)");
        assertThatThrownBy(() -> parse("!cpuid log {}"))
                .hasMessage("log: nothing to log (list what to record, e.g. log {regs $context [rsp]:8})");
    }

    @Test
    void rejectsBufferWithoutSizeOrOutOfRange() {
        assertThatThrownBy(() -> parse("!cpuid code {90} buffer"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buffer needs a size in bytes, e.g. buffer 0x100");
        assertThatThrownBy(() -> parse("!cpuid buffer code {90}"))
                .hasMessage("buffer needs a size in bytes, e.g. buffer 0x100");
        assertThatThrownBy(() -> parse("!cpuid buffer {100} code {90}"))
                .hasMessage("buffer needs a size in bytes, e.g. buffer 0x100");
        assertThatThrownBy(() -> parse("!cpuid code {90} buffer lots"))
                .hasMessage("buffer size: not a number: 'lots' (numbers are hex by default; write 0n10 for decimal)");
        assertThatThrownBy(() -> parse("!cpuid code {90} buffer 100001"))
                .hasMessage("buffer size 100001 is too large (at most 0x100000 bytes)");
        assertThatThrownBy(() -> parse("!cpuid code {90} buffer -1"))
                .hasMessage("buffer size -1 is too large (at most 0x100000 bytes)");
    }

    @Test
    void rejectsBufferWithoutCodeOrScript() {
        assertThatThrownBy(() -> parse("!epthook 401000 buffer 100 log {rax}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buffer needs a code {...} or script {...} clause (the buffer is handed to the custom code"
                        + " in RCX, to a script as $buffer), e.g. code {90 c3} buffer 0x100");
    }

    @Test
    void bufferReachesAScriptAsHyperDbgsBuffer() {
        EventSpec spec = parse("!epthook 40000a buffer 20 script { *($buffer) = @rdi; }");
        assertThat(spec.actions()).containsExactly(new ActionSpec.Script(" *($buffer) = @rdi; ", 0x20, true));
    }

    @Test
    void rejectsRepeatedBufferOrImm() {
        assertThatThrownBy(() -> parse("!cpuid code {90} buffer 10 buffer 20"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buffer given twice (give it once per command)");
        assertThatThrownBy(() -> parse("!cpuid log {rax} imm yes imm no"))
                .hasMessage("imm given twice (give it once per command)");
    }

    @Test
    void rejectsImmWithoutYesOrNo() {
        assertThatThrownBy(() -> parse("!cpuid log {rax} imm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("imm needs yes or no, e.g. imm no");
        assertThatThrownBy(() -> parse("!cpuid log {rax} imm true"))
                .hasMessage("imm needs yes or no, e.g. imm no");
    }
}
