package dev.hdbg.common.text;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogItem;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogSpecParserTest {

    @Test
    void parsesTheHyperDbgExampleInOrder() {
        assertThat(LogSpecParser.parse("regs [rsp+8]:0x20 $context $tid").items()).containsExactly(
                new LogItem.AllGprs(),
                new LogItem.Memory(Optional.of("rsp"), 8, 0x20),
                new LogItem.PseudoRegister("context"),
                new LogItem.PseudoRegister("tid"));
    }

    @Test
    void separatesItemsByCommasWhitespaceAndNewlines() {
        assertThat(LogSpecParser.parse(" ,rax,rbx\n\t rcx , ").items()).containsExactly(
                new LogItem.Register("rax"), new LogItem.Register("rbx"), new LogItem.Register("rcx"));
    }

    @Test
    void namesRegistersByTheirLowerCaseWireName() {
        assertThat(LogSpecParser.parse("@rax RIP @Fs_Base cr3 r15").items()).containsExactly(
                new LogItem.Register("rax"), new LogItem.Register("rip"), new LogItem.Register("fs_base"),
                new LogItem.Register("cr3"), new LogItem.Register("r15"));
    }

    @Test
    void acceptsEveryGuestRegister() {
        for (GuestRegister register : GuestRegister.values()) {
            assertThat(LogSpecParser.parse(register.wireName()).items())
                    .containsExactly(new LogItem.Register(register.wireName()));
        }
    }

    @Test
    void acceptsEveryPseudoRegister() {
        assertThat(LogSpecParser.parse("$context $ip $event_id $core $pid $tid $TIME").items()).containsExactly(
                new LogItem.PseudoRegister("context"), new LogItem.PseudoRegister("ip"),
                new LogItem.PseudoRegister("event_id"), new LogItem.PseudoRegister("core"),
                new LogItem.PseudoRegister("pid"), new LogItem.PseudoRegister("tid"),
                new LogItem.PseudoRegister("time"));
    }

    @Test
    void regsIsTheSixteenGprs() {
        assertThat(LogSpecParser.parse("REGS").items()).containsExactly(new LogItem.AllGprs());
    }

    @Test
    void parsesEveryMemoryAddressForm() {
        assertThat(LogSpecParser.parse("[401000]:0n16 [rsp] [@rbp-0x10]:4 [ rsp + 8 ]:1 [fffff800`00001000]")
                .items()).containsExactly(
                new LogItem.Memory(Optional.empty(), 0x401000, 16),
                new LogItem.Memory(Optional.of("rsp"), 0, 8),
                new LogItem.Memory(Optional.of("rbp"), -0x10, 4),
                new LogItem.Memory(Optional.of("rsp"), 8, 1),
                new LogItem.Memory(Optional.empty(), 0xfffff800_00001000L, 8));
    }

    @Test
    void memoryWithoutLengthTakesEightBytes() {
        assertThat(LogSpecParser.parse("[rsp+8]").items())
                .containsExactly(new LogItem.Memory(Optional.of("rsp"), 8, LogSpecParser.DEFAULT_MEMORY_LENGTH));
        assertThat(LogSpecParser.DEFAULT_MEMORY_LENGTH).isEqualTo(8);
    }

    @Test
    void lengthIsHexByDefaultUpToTheMaximum() {
        assertThat(LogSpecParser.parse("[rsp]:10000").items())
                .containsExactly(new LogItem.Memory(Optional.of("rsp"), 0, LogItem.Memory.MAX_LENGTH));
    }

    @Test
    void rejectsAnEmptySpec() {
        assertThatThrownBy(() -> LogSpecParser.parse(" , \n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nothing to log (list what to record, e.g. log {regs $context [rsp]:8})");
    }

    @Test
    void rejectsAnUnknownItemWithItsPosition() {
        assertThatThrownBy(() -> LogSpecParser.parse("regs foo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown log item 'foo' at position 6 (write regs, a register such as rax,"
                        + " a pseudo-register such as $context, or memory such as [rsp+8]:0x20)");
        assertThatThrownBy(() -> LogSpecParser.parse("@"))
                .hasMessageStartingWith("unknown log item '@' at position 1");
    }

    @Test
    void rejectsAnUnknownPseudoRegisterListingTheValidOnes() {
        assertThatThrownBy(() -> LogSpecParser.parse("rax $foo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown pseudo-register '$foo' at position 5"
                        + " (valid: $buffer $context $core $date $event_id $event_stage $event_tag $ip $peb $pid $pname $proc $teb $thread $tid $time)");
    }

    @Test
    void rejectsAnUnterminatedBracket() {
        assertThatThrownBy(() -> LogSpecParser.parse("regs [rsp+8:20"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated '[' at position 6 (close the address with ']', e.g. [rsp+8]:0x20)");
    }

    @Test
    void rejectsJunkAfterTheBracket() {
        assertThatThrownBy(() -> LogSpecParser.parse("[rsp]x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected ':LENGTH' after ']' in '[rsp]x' at position 1 (e.g. [rsp+8]:0x20)");
        assertThatThrownBy(() -> LogSpecParser.parse("[rsp]: 8"))
                .hasMessage("expected ':LENGTH' after ']' in '[rsp]:' at position 1 (e.g. [rsp+8]:0x20)");
    }

    @Test
    void rejectsAnEmptyAddress() {
        assertThatThrownBy(() -> LogSpecParser.parse("rax [ ]:8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty address in '[ ]:8' at position 5 (write [NUMBER] or [REG+NUMBER], e.g. [rsp+8])");
    }

    @Test
    void rejectsAnOffsetWithoutABaseRegister() {
        assertThatThrownBy(() -> LogSpecParser.parse("[401000+8]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'401000' in '[401000+8]' at position 1 is not a register"
                        + " (an offset needs a base register, e.g. [rsp+8]; an absolute address has none)");
    }

    @Test
    void rejectsTwoSigns() {
        assertThatThrownBy(() -> LogSpecParser.parse("[rsp+-8]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two signs in '[rsp+-8]' at position 1 (write [REG+NUMBER] or [REG-NUMBER])");
    }

    @Test
    void rejectsABadNumberNamingTheToken() {
        assertThatThrownBy(() -> LogSpecParser.parse("[rsp+zz]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'[rsp+zz]' at position 1: not a number: 'zz'"
                        + " (numbers are hex by default; write 0n10 for decimal)");
        assertThatThrownBy(() -> LogSpecParser.parse("rax [foo]"))
                .hasMessageStartingWith("'[foo]' at position 5: not a number: 'foo'");
        assertThatThrownBy(() -> LogSpecParser.parse("[rsp]:0n1x"))
                .hasMessageStartingWith("'[rsp]:0n1x' at position 1: not a decimal number: '0n1x'");
    }

    @Test
    void rejectsLengthsOutOfRange() {
        assertThatThrownBy(() -> LogSpecParser.parse("[rsp]:0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("memory length 0 in '[rsp]:0' at position 1 is out of range (1..0x10000 bytes)");
        assertThatThrownBy(() -> LogSpecParser.parse("[rsp]:10001"))
                .hasMessage("memory length 10001 in '[rsp]:10001' at position 1 is out of range (1..0x10000 bytes)");
        assertThatThrownBy(() -> LogSpecParser.parse("[rsp]:-1"))
                .hasMessageStartingWith("memory length -1 in '[rsp]:-1'");
    }
}
