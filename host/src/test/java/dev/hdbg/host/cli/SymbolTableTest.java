package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.Symbol;
import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolTableTest {
    private final SymbolTable table = new SymbolTable(List.of(
            new Symbol("main", 0x401100, 0x40, "function"),
            new Symbol("_init", 0x401000, 0, "function"),
            new Symbol("counter", 0x4a0000, 8, "object")));

    @Test
    void namesResolveToTheirAddresses() {
        assertThat(table.address("main")).hasValue(0x401100);
        assertThat(table.address("nope")).isEmpty();
    }

    @Test
    void everyNameIsOfferedForCompletion() {
        assertThat(table.names()).containsExactlyInAnyOrder("main", "_init", "counter");
    }

    @Test
    void addressesInsideASizedSymbolAreSymbolPlusOffset() {
        assertThat(table.describe(0x401100)).hasValue("main");
        assertThat(table.describe(0x401112)).hasValue("main+0x12");
        assertThat(table.describe(0x40113f)).hasValue("main+0x3f");
        assertThat(table.describe(0x401140)).isEmpty(); // one past the end
        assertThat(table.describe(0x4a0004)).hasValue("counter+0x4");
        assertThat(table.describe(0x400000)).isEmpty(); // before every symbol
    }

    @Test
    void aSymbolWithoutASizeNamesOnlyItsOwnAddress() {
        assertThat(table.describe(0x401000)).hasValue("_init");
        assertThat(table.describe(0x4010c8)).isEmpty();
        assertThat(table.containing(0x401120)).map(Symbol::name).hasValue("main");
    }
}
