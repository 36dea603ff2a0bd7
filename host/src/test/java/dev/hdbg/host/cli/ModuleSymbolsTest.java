package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.host.cli.parse.ExpressionParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dynamically linked program's symbols: the program's plain, each library's as WinDbg writes them, module!name. */
class ModuleSymbolsTest {
    private final SymbolTable table = new SymbolTable(List.of(
            new Symbol("main", 0x5555_5555_5100L, 0x40, "function"),
            new Symbol("malloc", 0x5555_5555_5200L, 0x10, "function"), // the program's own
            new Symbol("libc!malloc", 0x7fff_efe5_0000L, 0x100, "function"),
            new Symbol("libc!qsort", 0x7fff_efe6_0000L, 0x80, "function"),
            new Symbol("ld_linux_x86_64!qsort", 0x7fff_effd_0000L, 0x80, "function")));

    @Test
    void aLibrarySymbolIsFoundByModuleAndByItsPlainNameWhenTheProgramHasNone() {
        assertThat(table.address("libc!malloc")).hasValue(0x7fff_efe5_0000L);
        assertThat(table.address("malloc")).as("the program's first").hasValue(0x5555_5555_5200L);
        assertThat(table.address("qsort")).as("then the lowest library").hasValue(0x7fff_efe6_0000L);
        assertThat(table.address("ld_linux_x86_64!qsort")).hasValue(0x7fff_effd_0000L);
    }

    private final SymbolTable withModules = new SymbolTable(List.of(
            new Symbol("main", 0x5555_5555_5100L, 0x40, "function"),
            new Symbol("cafe", 0x5555_5555_5180L, 0x10, "function"),
            new Symbol("malloc", 0x5555_5555_5200L, 0x10, "function"),
            new Symbol("libc!malloc", 0x7fff_efe5_0000L, 0x100, "function"),
            new Symbol("libc!qsort", 0x7fff_efe6_0000L, 0x80, "function")), List.of(
            new LoadedModule("prog", 0x5555_5555_4000L, 0x5555_5555_9000L, List.of()),
            new LoadedModule("libc", 0x7fff_efe0_0000L, 0x7fff_f000_0000L, List.of())));

    @Test
    void theProgramsOwnSymbolsAnswerToTheProgramsModuleAndToNoOther() {
        assertThat(withModules.address("prog!main")).hasValue(0x5555_5555_5100L);
        assertThat(withModules.address("PROG!main")).as("module names ignore case, as WinDbg's").hasValue(0x5555_5555_5100L);
        assertThat(withModules.address("libc!main")).isEmpty();
        assertThat(withModules.address("prog!malloc")).as("the program's own").hasValue(0x5555_5555_5200L);
        assertThat(withModules.address("libc!malloc")).hasValue(0x7fff_efe5_0000L);
        assertThat(withModules.address("prog!qsort")).as("libc's, found plainly, is not the program's").isEmpty();
        assertThat(withModules.address("nosuch!main")).isEmpty();
        assertThat(table.address("prog!main")).as("without modules").isEmpty();
    }

    @Test
    void aSymbolIsWrittenWithTheModuleThatHoldsIt() {
        assertThat(withModules.qualifiedName("cafe")).hasValue("prog!cafe");
        assertThat(withModules.qualifiedName("qsort")).hasValue("libc!qsort");
        assertThat(withModules.qualifiedName("nothing")).isEmpty();
        assertThat(table.qualifiedName("main")).as("no module holds it").isEmpty();
    }

    @Test
    void addressesInLibrariesAreNamedWithTheirModule() {
        assertThat(table.describe(0x7fff_efe6_0010L)).hasValue("libc!qsort+0x10");
    }

    @Test
    void expressionsReadModuleBangSymbolAsOneName() {
        assertThat(ExpressionParser.evaluate("libc!qsort+8", table::address)).isEqualTo(0x7fff_efe6_0008L);
        assertThatThrownBy(() -> ExpressionParser.evaluate("libc!nothing", table::address))
                .hasMessageContaining("unknown register or symbol 'libc!nothing'");
    }
}
