package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** The event commands ({@code !epthook}, {@code !cpuid} ...) and {@code events}. */
class EventVerbsTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient();
    private final DebugSession session = new DebugSession(client, new PrintWriter(new StringWriter()), OutputFormat.HUMAN);

    @Test
    void anEventCommandAddsTheEventItsTypeAndClausesSay() {
        Verb epthook = new Verb(new EventCommand(session, EventType.EPT_HOOK));
        Verb cpuid = new Verb(new EventCommand(session, EventType.CPUID));

        assertThat(epthook.run("400040 log {rdi $context} imm no")).isZero();
        assertThat(cpuid.run("1")).isZero();

        assertThat(epthook.lines()).containsExactly("event 0 added with action 1");
        assertThat(cpuid.lines()).containsExactly("event 1 added with action 2");
        EventSpec hook = (EventSpec) client.calls("addEvent").getFirst().arguments().getFirst();
        assertThat(hook.type()).isEqualTo(EventType.EPT_HOOK);
        assertThat(hook.address()).isEqualTo(0x400040);
        EventSpec leaf = (EventSpec) client.calls("addEvent").get(1).arguments().getFirst();
        assertThat(leaf.type()).isEqualTo(EventType.CPUID);
        assertThat(leaf.filter()).hasValue(1);
    }

    @Test
    void anEventToAnOutputNeedsTheOutputOpen() {
        Verb epthook = new Verb(new EventCommand(session, EventType.EPT_HOOK));

        assertThat(epthook.run("400040 log {rdi} output {nowhere}")).isEqualTo(1);

        assertThat(epthook.failure()).hasMessageContaining("nowhere");
        assertThat(client.calls("addEvent")).isEmpty();
    }

    /** A hook's address that names no symbol is said to be unknown, and a library not yet loaded is named. */
    @Test
    void anUnknownSymbolAsTheAddressIsSaidAsOneAndAModuleNotLoadedYetIsNamed() {
        client.module(new LoadedModule("prog", 0x5555_5555_4000L, 0x5555_5555_9000L, List.of()))
                .symbol("main", 0x5555_5555_5158L, 0x61);
        Verb epthook = new Verb(new EventCommand(session, EventType.EPT_HOOK));

        assertThat(epthook.run("mian log {rdi}")).isEqualTo(1);
        assertThat(epthook.failure()).hasMessageStartingWith("unknown register or symbol 'mian'");
        assertThat(epthook.run("libc!printf log {rdi}")).isEqualTo(1);
        assertThat(epthook.failure()).hasMessageEndingWith("no module libc is loaded now (lm lists the loaded ones): a "
                + "library's symbols come once the loader has mapped it, e.g. after g prog!main");
        assertThat(epthook.run("code {90}")).isEqualTo(1);
        assertThat(epthook.failure()).hasMessageStartingWith("!epthook needs an address");
        assertThat(client.calls("addEvent")).isEmpty();

        assertThat(epthook.run("prog!main log {rdi}")).isZero();
        assertThat(((EventSpec) client.calls("addEvent").getFirst().arguments().getFirst()).address())
                .isEqualTo(0x5555_5555_5158L);
    }

    @Test
    void eventsListsAndChangesThem() {
        new Verb(new EventCommand(session, EventType.EPT_HOOK)).run("400040 log {rdi} imm no");
        new Verb(new EventCommand(session, EventType.CPUID)).run("1");
        Verb events = new Verb(new EventsCommand(session));

        assertThat(events.run("d 1")).isZero();
        assertThat(events.run("")).isZero();
        assertThat(events.run("c all")).isZero();
        assertThat(events.run("")).isZero();

        assertThat(events.lines()).containsExactly(
                "disabled event 1",
                "id   state    event      where                              hits  actions",
                "0    enabled  !epthook   0x400040                              0  log (batched)",
                "1    disabled !cpuid     0x1                                   0  break",
                "cleared events 0, 1",
                "no events");
        assertThat(client.calls("disableEvent").getFirst().arguments()).containsExactly(1L);
        assertThat(client.calls("modifyAllEvents").getFirst().arguments()).containsExactly(EventModification.CLEAR);
    }

    @Test
    void eventIdsAreShownInHexAsTheyAreRead() {
        // HyperDbg shows and reads event numbers in hex; hdbg once printed them in decimal and read them as hex, so
        // the event listed as 16 was event 0x16 to events d 16.
        Verb cpuid = new Verb(new EventCommand(session, EventType.CPUID));
        for (int i = 0; i < 0x11; i++) {
            assertThat(cpuid.run(Integer.toHexString(i))).isZero();
        }
        Verb events = new Verb(new EventsCommand(session));

        assertThat(events.run("d 10")).isZero();
        assertThat(events.run("")).isZero();

        assertThat(cpuid.lines()).contains("event a added with action b", "event 10 added with action 11");
        assertThat(client.calls("disableEvent").getFirst().arguments()).containsExactly(0x10L);
        assertThat(events.lines()).contains("disabled event 10",
                "a    enabled  !cpuid     0xa                                   0  break",
                "10   disabled !cpuid     0x10                                  0  break");
    }

    @Test
    void eventsEWithoutAnIdSaysWhatItNeeds() {
        Verb events = new Verb(new EventsCommand(session));

        assertThat(events.run("e")).isEqualTo(1);

        assertThat(events.failure()).hasMessage("events e needs an event id or all, e.g. events e 1");
    }
}
