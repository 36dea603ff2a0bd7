package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.EventType;
import dev.hdbg.host.cli.parse.CommandTokenizer;
import dev.hdbg.host.cli.parse.EventCommandParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The event catalogue as users read it: {@code help} and docs/events.md show every entry's command forms and
 * example, and each example is a command the parser takes. docs/events.md is written by hand; this test is what
 * keeps it from drifting from the catalogue.
 */
class EventCatalogueDocsTest {
    private static final Path EVENTS_MD = Path.of("..", "docs", "events.md");

    private static List<String> docLines() throws IOException {
        return Files.readAllLines(EVENTS_MD);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eventsMdHasASectionHeadedByTheCommandsForms(EventType type) throws IOException {
        String heading = "### " + type.forms().stream().map(f -> "`" + f + "`").collect(Collectors.joining(", "));

        assertThat(docLines()).as("docs/events.md's section for %s", type.command()).contains(heading);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eventsMdRunsTheCataloguesExample(EventType type) throws IOException {
        assertThat(docLines()).as("docs/events.md's examples for %s", type.command()).contains(type.example());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theExampleIsACommandOfItsType(EventType type) {
        assertThat(EventCommandParser.parse(CommandTokenizer.tokenize(type.example())).type()).isEqualTo(type);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void helpShowsWhatTriggersTheContextTheFormsAndTheExample(EventType type) {
        String help = String.join("\n", EventHelp.of(type));

        assertThat(help).contains(type.triggers(), "Context = " + type.context(), type.example());
        type.forms().forEach(form -> assertThat(help).contains("  " + form + " [options]"));
    }
}
