package dev.hdbg.agent.machine.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.elf.Symbols.Symbol;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SymbolsTest {
    private final Symbols symbols = new Symbols(List.of(
            new Symbol("helper", 0x401200, 0x10, "function"), // a local static function, listed first as in .symtab
            new Symbol("memset", 0x401100, 0x40, "ifunc"),
            new Symbol("main", 0x401000, 0x30, "function"),
            new Symbol("memcpy", 0x401080, 0x20, "function"),
            new Symbol("_start", 0x400f00, 0, "function"),
            new Symbol("counter", 0x4c0000, 4, "object"),
            new Symbol("helper", 0x401300, 0x10, "function")));

    @Test
    void allIsSortedByAddress() {
        assertThat(symbols.all()).extracting(Symbol::name)
                .containsExactly("_start", "main", "memcpy", "memset", "helper", "helper", "counter");
    }

    @Test
    void byNameFindsExactNamesAndPrefersTheLaterGlobalOfDuplicates() {
        assertThat(symbols.byName("main")).hasValueSatisfying(s -> assertThat(s.address()).isEqualTo(0x401000));
        assertThat(symbols.byName("helper")).hasValueSatisfying(s -> assertThat(s.address()).isEqualTo(0x401300));
        assertThat(symbols.byName("Main")).isEmpty();
    }

    @Test
    void matchingUsesWinDbgWildcards() {
        assertThat(symbols.matching("mem*")).extracting(Symbol::name).containsExactly("memcpy", "memset");
        assertThat(symbols.matching("mem???")).extracting(Symbol::name).containsExactly("memcpy", "memset");
        assertThat(symbols.matching("m?in")).extracting(Symbol::name).containsExactly("main");
        assertThat(symbols.matching("*")).hasSize(7);
        assertThat(symbols.matching("MAIN")).isEmpty();
        // Regex metacharacters are literal.
        assertThat(symbols.matching("_start.")).isEmpty();
        assertThat(symbols.matching("_st[a]rt")).isEmpty();
    }

    /**
     * A host's pattern must not make matching take exponential time: the wildcards once became
     * a regex, and "*a*a*...*b" against a long name of a's backtracked for hours, on the thread
     * that serves every connection.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void patternsThatWouldBacktrackMatchInLinearTime() {
        Symbols longNames = new Symbols(List.of(new Symbol("a".repeat(200), 0x401000, 0x10, "function"),
                new Symbol("a".repeat(199) + "b", 0x402000, 0x10, "function")));
        String evil = "*a".repeat(30) + "*b";
        assertThat(longNames.matching(evil)).extracting(Symbol::address).containsExactly(0x402000L);
        assertThat(longNames.matching("*a".repeat(30) + "*")).hasSize(2);
        assertThat(longNames.matching("*a".repeat(30))).extracting(Symbol::address).containsExactly(0x401000L);
    }

    @Test
    void wildcardsMatchRunsAndSingleCharactersAnywhere() {
        assertThat(symbols.matching("*e*")).extracting(Symbol::name)
                .containsExactly("memcpy", "memset", "helper", "helper", "counter");
        assertThat(symbols.matching("*t")).extracting(Symbol::name).containsExactly("_start", "memset");
        assertThat(symbols.matching("?*?")).hasSize(7);
        assertThat(symbols.matching("**main**")).extracting(Symbol::name).containsExactly("main");
        assertThat(symbols.matching("main?")).isEmpty();
        assertThat(symbols.matching("*z")).isEmpty();
        assertThat(symbols.matching("*y")).extracting(Symbol::name).containsExactly("memcpy");
    }

    @Test
    void describeNamesTheNearestSymbolBelowWithinItsSize() {
        assertThat(symbols.describe(0x401000)).hasValue("main");
        assertThat(symbols.describe(0x401005)).hasValue("main+0x5");
        assertThat(symbols.describe(0x40102f)).hasValue("main+0x2f");
        assertThat(symbols.describe(0x401030)).isEmpty(); // past main's 0x30 bytes, before memcpy
        assertThat(symbols.describe(0x401088)).hasValue("memcpy+0x8");
        assertThat(symbols.describe(0x3fffff)).isEmpty();
    }

    @Test
    void anUnsizedSymbolReachesAPage() {
        assertThat(symbols.describe(0x400f10)).hasValue("_start+0x10");
        assertThat(symbols.describe(0x400fff)).hasValue("_start+0xff");
        Symbols lone = new Symbols(List.of(new Symbol("_start", 0x400000, 0, "function")));
        assertThat(lone.describe(0x400fff)).hasValue("_start+0xfff");
        assertThat(lone.describe(0x401000)).isEmpty();
    }

    @Test
    void aSizedSymbolWinsOverAnUnsizedAliasAtTheSameAddress() {
        Symbols aliases = new Symbols(List.of(new Symbol("a_label", 0x1000, 0, "function"),
                new Symbol("z_real", 0x1000, 0x10, "function")));
        assertThat(aliases.describe(0x1004)).hasValue("z_real+0x4");
        assertThat(aliases.describe(0x1014)).hasValue("a_label+0x14");
    }

    @Test
    void relocatedMovesEveryAddressAndKeepsTheByNameChoice() {
        Symbols moved = symbols.relocated(0x5555_5555_4000L);
        assertThat(moved.byName("main")).hasValueSatisfying(s -> assertThat(s.address())
                .isEqualTo(0x5555_5555_4000L + 0x401000));
        assertThat(moved.byName("helper")).hasValueSatisfying(s -> assertThat(s.address())
                .isEqualTo(0x5555_5555_4000L + 0x401300));
        assertThat(moved.describe(0x5555_5555_4000L + 0x401005)).hasValue("main+0x5");
        assertThat(symbols.relocated(0)).isSameAs(symbols);
        assertThat(Symbols.none().all()).isEmpty();
    }
}
