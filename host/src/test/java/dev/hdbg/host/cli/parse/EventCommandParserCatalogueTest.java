package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.MachineCode;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per HyperDbg event command: its positional part, and the errors of that part. */
class EventCommandParserCatalogueTest {
    private static final List<ActionSpec> BREAK = List.of(new ActionSpec.Break());
    private static final String MONITOR_EXAMPLE = "e.g. !monitor rw 7fff0000 7fff0010 or !monitor w 400080 l 8";
    private static final Set<Access> RW = EnumSet.of(Access.READ, Access.WRITE);
    private static final Set<Access> NONE = Set.of();

    private static EventSpec parse(String line) {
        return EventCommandParser.parse(CommandTokenizer.tokenize(line));
    }

    /** The event a command without options makes: armed, default options, one break. */
    private static EventSpec plain(EventType type, long address, long end, Set<Access> access, OptionalLong filter,
                                   OptionalLong mask) {
        return new EventSpec(type, address, end, access, filter, mask, EventOptions.DEFAULT, Optional.empty(), BREAK, true);
    }

    private static EventSpec filtered(EventType type, long filter) {
        return plain(type, 0, 0, NONE, OptionalLong.of(filter), OptionalLong.empty());
    }

    private static EventSpec bare(EventType type) {
        return plain(type, 0, 0, NONE, OptionalLong.empty(), OptionalLong.empty());
    }

    @Test
    void eptHookTakesItsAddress() {
        assertThat(parse("!epthook 401000")).isEqualTo(plain(EventType.EPT_HOOK, 0x401000, 0, NONE,
                OptionalLong.empty(), OptionalLong.empty()));
    }

    @Test
    void eptHook2TakesItsAddressAndNeedsOne() {
        assertThat(parse("!epthook2 fffff801`00001000")).isEqualTo(plain(EventType.EPT_HOOK2, 0xfffff801_00001000L,
                0, NONE, OptionalLong.empty(), OptionalLong.empty()));
        assertThatThrownBy(() -> parse("!epthook2 break"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!epthook2 needs an address, e.g. !epthook2 401000");
        assertThatThrownBy(() -> parse("!epthook2 main"))
                .hasMessage("!epthook2 address: not a number: 'main' (numbers are hex by default; write 0n10 for decimal)");
    }

    @Test
    void monitorTakesAccessAndAnInclusiveRangeWithLog() {
        EventSpec event = parse("!monitor rw 7fff0000 7fff0010 log {$context}");

        LogConfiguration log = new LogConfiguration(List.of(new LogItem.PseudoRegister("context")));
        assertThat(event).isEqualTo(new EventSpec(EventType.MONITOR, 0x7fff0000L, 0x7fff0010L, RW,
                OptionalLong.empty(), OptionalLong.empty(), EventOptions.DEFAULT, Optional.empty(),
                List.of(new ActionSpec.Log(log, true)), true));
    }

    @Test
    void monitorLengthFormEndsAtFromPlusLengthMinusOne() {
        EventSpec event = parse("!monitor w 400080 l 8 sc on");

        assertThat(event).isEqualTo(new EventSpec(EventType.MONITOR, 0x400080, 0x400087, EnumSet.of(Access.WRITE),
                OptionalLong.empty(), OptionalLong.empty(), EventOptions.DEFAULT.withShortCircuit(true),
                Optional.empty(), BREAK, true));
        assertThat(parse("!monitor x 400000 L 1").end()).isEqualTo(0x400000);
        assertThat(parse("!monitor r 400000 400000").end()).isEqualTo(0x400000);
        assertThat(parse("!monitor r ffffffffffffff00 l 100").end()).isEqualTo(-1L);
    }

    @Test
    void monitorAcceptsEveryCombinationOfRwxInAnyOrderAndCase() {
        assertThat(parse("!monitor r 1000 1fff").access()).isEqualTo(EnumSet.of(Access.READ));
        assertThat(parse("!monitor x 1000 1fff").access()).isEqualTo(EnumSet.of(Access.EXECUTE));
        assertThat(parse("!monitor wr 1000 1fff").access()).isEqualTo(RW);
        assertThat(parse("!monitor XWR 1000 1fff").access())
                .isEqualTo(EnumSet.of(Access.READ, Access.WRITE, Access.EXECUTE));
    }

    @Test
    void rejectsAMonitorAccessThatIsMissingRepeatedOrForeign() {
        assertThatThrownBy(() -> parse("!monitor"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!monitor needs an access first: r, w and/or x, " + MONITOR_EXAMPLE);
        assertThatThrownBy(() -> parse("!monitor 7fff0000 7fff0010"))
                .hasMessage("!monitor needs an access first: r, w and/or x, " + MONITOR_EXAMPLE);
        assertThatThrownBy(() -> parse("!monitor rwr 1000 1fff"))
                .hasMessage("!monitor access 'rwr' repeats 'r' (give each of r, w and x at most once), " + MONITOR_EXAMPLE);
        assertThatThrownBy(() -> parse("!monitor rz 1000 1fff"))
                .hasMessage("!monitor access 'rz': 'z' is not r, w or x, " + MONITOR_EXAMPLE);
    }

    @Test
    void rejectsAMonitorRangeThatIsMissingBackwardsEmptyOrWrapping() {
        assertThatThrownBy(() -> parse("!monitor rw 7fff0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!monitor needs a range, FROM TO or FROM l LEN, " + MONITOR_EXAMPLE);
        assertThatThrownBy(() -> parse("!monitor rw 7fff0000 break"))
                .hasMessage("!monitor needs a range, FROM TO or FROM l LEN, " + MONITOR_EXAMPLE);
        assertThatThrownBy(() -> parse("!monitor rw 7fff0010 7fff0000"))
                .hasMessage("!monitor range starts after it ends: 0x7fff0010 > 0x7fff0000"
                        + " (TO is the last byte, inclusive; or give a length, FROM l LEN)");
        assertThatThrownBy(() -> parse("!monitor rw 1000 l"))
                .hasMessage("!monitor needs a length after l, e.g. !monitor w 400080 l 8");
        assertThatThrownBy(() -> parse("!monitor rw 1000 l 0"))
                .hasMessage("!monitor length 0 covers no byte (give at least 1), e.g. !monitor w 400080 l 8");
        assertThatThrownBy(() -> parse("!monitor rw ffffffffffffff00 l 101"))
                .hasMessage("!monitor range 0xffffffffffffff00 l 101 runs past 0xffffffffffffffff (the last address)");
        assertThatThrownBy(() -> parse("!monitor rw here 2000"))
                .hasMessage("!monitor from address: not a number: 'here'"
                        + " (numbers are hex by default; write 0n10 for decimal)");
        assertThatThrownBy(() -> parse("!monitor rw 1000 there"))
                .hasMessageStartingWith("!monitor to address: not a number: 'there'");
        assertThatThrownBy(() -> parse("!monitor rw 1000 l 0n8x"))
                .hasMessageStartingWith("!monitor length: not a decimal number: '0n8x'");
    }

    @Test
    void syscallTakesAnOptionalNumberWithStageAndCode() {
        EventSpec event = parse("!syscall 0x3c stage post code {90}");

        assertThat(event).isEqualTo(new EventSpec(EventType.SYSCALL, 0, 0, NONE, OptionalLong.of(0x3c),
                OptionalLong.empty(), EventOptions.DEFAULT.withStage(EventOptions.Stage.POST), Optional.empty(),
                List.of(new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0x90}), 0, true)), true));
        assertThat(parse("!syscall")).isEqualTo(bare(EventType.SYSCALL));
        assertThat(parse("!syscall ffffffffffffffff").filter()).isEqualTo(OptionalLong.of(-1L));
    }

    @Test
    void sysretTakesNothing() {
        assertThat(parse("!sysret")).isEqualTo(bare(EventType.SYSRET));
        assertThatThrownBy(() -> parse("!sysret 1"))
                .hasMessageStartingWith("unknown option '1' for !sysret (valid: ");
    }

    @Test
    void cpuidTakesAnOptionalLeaf() {
        assertThat(parse("!cpuid 0x40000000")).isEqualTo(filtered(EventType.CPUID, 0x4000_0000L));
        assertThat(parse("!cpuid")).isEqualTo(bare(EventType.CPUID));
    }

    @Test
    void msrReadAndWriteTakeAnOptional32BitMsr() {
        assertThat(parse("!msrread c0000080")).isEqualTo(filtered(EventType.MSR_READ, 0xc000_0080L));
        assertThat(parse("!msrwrite")).isEqualTo(bare(EventType.MSR_WRITE));
        assertThat(parse("!msrwrite 0n16")).isEqualTo(filtered(EventType.MSR_WRITE, 16));
        assertThatThrownBy(() -> parse("!msrread 1`0000`0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!msrread MSR 1`0000`0000 does not fit in 32 bits (RDMSR takes the MSR in ECX),"
                        + " e.g. !msrread c0000080");
        assertThatThrownBy(() -> parse("!msrwrite -1"))
                .hasMessage("!msrwrite MSR -1 does not fit in 32 bits (WRMSR takes the MSR in ECX),"
                        + " e.g. !msrwrite c0000080");
        assertThatThrownBy(() -> parse("!msrread 0n1x"))
                .hasMessage("!msrread MSR: not a decimal number: '0n1x' (after 0n come the digits 0-9)");
    }

    @Test
    void tscPmcVmcallAndDrTakeNothing() {
        assertThat(parse("!tsc")).isEqualTo(bare(EventType.TSC));
        assertThat(parse("!pmc")).isEqualTo(bare(EventType.PMC));
        assertThat(parse("!vmcall")).isEqualTo(bare(EventType.VMCALL));
        assertThat(parse("!DR")).isEqualTo(bare(EventType.DR));
    }

    @Test
    void ioInAndOutTakeAnOptional16BitPort() {
        assertThat(parse("!ioin 60")).isEqualTo(filtered(EventType.IO_IN, 0x60));
        assertThat(parse("!ioout ffff")).isEqualTo(filtered(EventType.IO_OUT, 0xffff));
        assertThat(parse("!ioin")).isEqualTo(bare(EventType.IO_IN));
        assertThatThrownBy(() -> parse("!ioout 10000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!ioout port 10000 is out of range, 0 .. 0xffff (I/O ports are 16 bits), e.g. !ioout 64");
    }

    @Test
    void exceptionTakesAnOptionalVectorUpTo31() {
        assertThat(parse("!exception 0xe")).isEqualTo(filtered(EventType.EXCEPTION, 0xe));
        assertThat(parse("!exception 1f")).isEqualTo(filtered(EventType.EXCEPTION, 0x1f));
        assertThat(parse("!exception")).isEqualTo(bare(EventType.EXCEPTION));
        assertThatThrownBy(() -> parse("!exception 0x20"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!exception vector 0x20 is out of range, 0 .. 31 (0 .. 0x1f; use !interrupt for 32 .. 255),"
                        + " e.g. !exception 0xe");
        assertThatThrownBy(() -> parse("!exception -1"))
                .hasMessageStartingWith("!exception vector -1 is out of range, 0 .. 31");
    }

    @Test
    void interruptNeedsAVectorFrom32To255() {
        assertThat(parse("!interrupt 0x2e")).isEqualTo(filtered(EventType.INTERRUPT, 0x2e));
        assertThat(parse("!interrupt 20")).isEqualTo(filtered(EventType.INTERRUPT, 0x20));
        assertThat(parse("!interrupt ff")).isEqualTo(filtered(EventType.INTERRUPT, 0xff));
        assertThatThrownBy(() -> parse("!interrupt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!interrupt needs a vector, 32 .. 255 (0x20 .. 0xff), e.g. !interrupt 0x2e");
        assertThatThrownBy(() -> parse("!interrupt log {rax}"))
                .hasMessage("!interrupt needs a vector, 32 .. 255 (0x20 .. 0xff), e.g. !interrupt 0x2e");
        assertThatThrownBy(() -> parse("!interrupt 1f"))
                .hasMessage("!interrupt vector 1f is out of range, 32 .. 255 (0x20 .. 0xff; use !exception for 0 .. 31),"
                        + " e.g. !interrupt 0x2e");
        assertThatThrownBy(() -> parse("!interrupt 100"))
                .hasMessageStartingWith("!interrupt vector 100 is out of range, 32 .. 255");
        assertThatThrownBy(() -> parse("!interrupt int3"))
                .hasMessage("!interrupt vector: not a number: 'int3' (numbers are hex by default; write 0n10 for decimal)");
    }

    @Test
    void crWriteTakesCr0OrCr4AndAnOptionalMask() {
        assertThat(parse("!crwrite cr4 mask 0x20")).isEqualTo(plain(EventType.CR_WRITE, 0, 0, NONE,
                OptionalLong.of(4), OptionalLong.of(0x20)));
        assertThat(parse("!crwrite CR0")).isEqualTo(plain(EventType.CR_WRITE, 0, 0, NONE,
                OptionalLong.of(0), OptionalLong.empty()));
        assertThat(parse("!crwrite 4 break mask 1").mask()).isEqualTo(OptionalLong.of(1));
        assertThat(parse("!crwrite 0").filter()).isEqualTo(OptionalLong.of(0));
    }

    @Test
    void crWriteTakesHyperDbgsMaskAsItsSecondNumber() {
        // crwrite.cpp's examples: !crwrite 0 0x10000, !crwrite 4 pid 400
        assertThat(parse("!crwrite 0 0x10000")).isEqualTo(plain(EventType.CR_WRITE, 0, 0, NONE,
                OptionalLong.of(0), OptionalLong.of(0x10000)));
        assertThat(parse("!crwrite 4 pid 400").mask()).isEmpty();
        assertThat(parse("!crwrite 4 200 log {cr4}").mask()).isEqualTo(OptionalLong.of(0x200));
        assertThatThrownBy(() -> parse("!crwrite 4 20 mask 20"))
                .hasMessageContaining("the mask is given twice");
        assertThatThrownBy(() -> parse("!crwrite 4 0"))
                .hasMessageContaining("mask 0 selects no bit");
    }

    @Test
    void rejectsACrWriteWithoutCr0OrCr4() {
        assertThatThrownBy(() -> parse("!crwrite"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!crwrite needs a control register, cr0 or cr4 (0 or 4), e.g. !crwrite 4 0x20");
        assertThatThrownBy(() -> parse("!crwrite mask 20"))
                .hasMessage("!crwrite needs a control register, cr0 or cr4 (0 or 4), e.g. !crwrite 4 0x20");
        assertThatThrownBy(() -> parse("!crwrite cr3"))
                .hasMessage("!crwrite cannot watch 'cr3': only cr0 and cr4 (0 or 4), e.g. !crwrite 4 0x20");
        assertThatThrownBy(() -> parse("!crwrite 8"))
                .hasMessage("!crwrite cannot watch '8': only cr0 and cr4 (0 or 4), e.g. !crwrite 4 0x20");
    }

    @Test
    void xsetbvTakesAnOptional32BitXcr() {
        assertThat(parse("!xsetbv 0")).isEqualTo(filtered(EventType.XSETBV, 0));
        assertThat(parse("!xsetbv")).isEqualTo(bare(EventType.XSETBV));
        assertThatThrownBy(() -> parse("!xsetbv 1`0000`0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("!xsetbv XCR 1`0000`0000 does not fit in 32 bits (XSETBV takes the XCR in ECX), e.g. !xsetbv 0");
    }

    @Test
    void everyEventTypeHasACommandTheParserAccepts() {
        for (EventType type : EventType.values()) {
            String positional = switch (type) {
                case EPT_HOOK, EPT_HOOK2 -> " 1000";
                case MONITOR -> " rw 1000 1fff";
                case INTERRUPT -> " 2e";
                case CR_WRITE -> " cr0";
                case MODE -> " ku";
                case TRACE -> " step-in";
                default -> "";
            };
            assertThat(parse(type.command() + positional).type()).isEqualTo(type);
        }
    }

    @Test
    void anOptionalNumberIsTakenOnlyRightAfterTheCommand() {
        assertThatThrownBy(() -> parse("!ioin break 60"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option '60' for !ioin (valid: ");
        assertThat(parse("!syscall break").filter()).isEmpty();
    }
}
