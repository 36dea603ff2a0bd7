package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.ArmedExits;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.ExitStage;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventOptions.Stage;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.model.EventModification;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event registry on a real machine: which exits trigger which events (matched by the kind of each event
 * type's catalogue entry), at which stage, what the hooks must arm, and what a host may add, change and clear.
 */
class EventRegistryTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    private static final List<ActionSpec> BREAK = List.of(new ActionSpec.Break());
    private static final Access READ = Access.READ;
    private static final Access WRITE = Access.WRITE;
    private static final Access EXECUTE = Access.EXECUTE;

    private Machine machine;
    private VmxRoot root;
    private EventRegistry registry;

    @BeforeEach
    void machine() {
        machine = new Machine();
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
        root = new VmxRoot(machine, 1000);
        registry = new EventRegistry(root, Limits.DEFAULT);
    }

    @AfterEach
    void close() {
        root.close();
        machine.close();
    }

    private static VmExit exit(EventType type, long context) {
        return VmExit.pre(ExitReason.of(type), context);
    }

    /** A {@code !monitor} exit: {@code access} at {@code context}. */
    private static VmExit exit(EventType type, long context, Access access) {
        return VmExit.monitor(access, context, ExitStage.PRE);
    }

    /** A {@code !crwrite} exit of CR{@code cr} that changes {@code changedBits}. */
    private static VmExit exit(EventType type, int cr, long changedBits) {
        return VmExit.controlRegisterWrite(cr, changedBits);
    }

    private List<Long> triggered(VmExit exit) {
        return registry.triggeredBy(exit).stream().map(Event::id).toList();
    }

    private long add(EventSpec spec) {
        return registry.add(spec).id();
    }

    @Test
    void findingTheEventsAnExitTriggersAllocatesNothing() {
        long first = add(EventSpec.eptHook(0x401000, BREAK));
        add(EventSpec.eptHook(0x402000, BREAK));
        long third = add(EventSpec.eptHook(0x401000, BREAK));
        add(EventSpec.monitor(EnumSet.of(Access.READ), 0x1000, 0x100f, BREAK));
        VmExit exit = exit(EventType.EPT_HOOK, 0x401000);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

        long found = lookUp(exit, 1_000); // loads the classes the walk uses
        long before = threads.getCurrentThreadAllocatedBytes();
        found += lookUp(exit, 100_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(found).isEqualTo(2 * 101_000);
        // A list or an iterator per exit would be at least 2.4 MB here; the walk over the kept array allocates none.
        assertThat(allocated).isLessThan(10_000);
        assertThat(registry.candidates(ExitReason.EPT_HOOK)).extracting(Event::id).startsWith(first).endsWith(third);
    }

    private long lookUp(VmExit exit, int times) {
        long found = 0;
        for (int i = 0; i < times; i++) {
            for (Event event : registry.candidates(exit.reason())) {
                if (EventRegistry.triggers(event, exit)) {
                    found++;
                }
            }
        }
        return found;
    }

    @Test
    void anEventEnabledWhileAnExitIsHandledWaitsForTheNextExitAndOneDisabledIsSkippedAtOnce() {
        long kept = add(EventSpec.eptHook(0x401000, BREAK));
        long disabled = add(EventSpec.eptHook(0x401000, BREAK));
        registry.modify(disabled, EventModification.DISABLE);
        VmExit exit = exit(EventType.EPT_HOOK, 0x401000);

        Event[] handling = registry.candidates(ExitReason.EPT_HOOK);
        registry.modify(disabled, EventModification.ENABLE); // say, by a script of the first event
        registry.modify(kept, EventModification.DISABLE);

        assertThat(handling).extracting(Event::id).containsExactly(kept);
        assertThat(EventRegistry.triggers(handling[0], exit)).isFalse();
        assertThat(triggered(exit)).containsExactly(disabled);
    }

    @Test
    void anAddressedEventTriggersOnlyAtItsAddressAndOnlyOnItsOwnExit() {
        long hook = add(EventSpec.eptHook(0x401000, BREAK));
        long detour = add(new EventSpec(EventType.EPT_HOOK2, 0x401000, OptionalLong.empty(), Optional.empty(), BREAK, true));

        assertThat(triggered(exit(EventType.EPT_HOOK, 0x401000))).containsExactly(hook);
        assertThat(triggered(exit(EventType.EPT_HOOK2, 0x401000))).containsExactly(detour);
        assertThat(triggered(exit(EventType.EPT_HOOK, 0x401001))).isEmpty();
        assertThat(triggered(exit(EventType.EPT_HOOK, 0x400fff))).isEmpty();
        assertThat(registry.detoursAt(0x401000)).extracting(Event::id).containsExactly(detour);
        assertThat(registry.detoursAt(0x401001)).isEmpty();
    }

    @Test
    void aMonitorTriggersOnAnAccessOfItsKindTouchingItsRange() {
        long rw = add(EventSpec.monitor(EnumSet.of(Access.READ, Access.WRITE), 0x1000, 0x100f, BREAK));
        long x = add(EventSpec.monitor(EnumSet.of(Access.EXECUTE), 0x1000, 0x1000, BREAK));

        // An access of up to 8 bytes starting 7 bytes before the range still touches its first byte.
        assertThat(triggered(exit(EventType.MONITOR, 0x0ff9, READ))).containsExactly(rw);
        assertThat(triggered(exit(EventType.MONITOR, 0x0ff8, READ))).isEmpty();
        assertThat(triggered(exit(EventType.MONITOR, 0x100f, WRITE))).containsExactly(rw);
        assertThat(triggered(exit(EventType.MONITOR, 0x1010, WRITE))).isEmpty();
        assertThat(triggered(exit(EventType.MONITOR, 0x1000, EXECUTE))).containsExactly(x);
        assertThat(triggered(exit(EventType.MONITOR, 0x1000, READ))).containsExactly(rw);
        assertThat(triggered(exit(EventType.MONITOR, 0x1001, EXECUTE))).isEmpty();
    }

    @Test
    void aMonitorRangeReachingTheTopOfTheAddressSpaceStillMatches() {
        long top = add(EventSpec.monitor(EnumSet.of(Access.WRITE), -16L, -1L, BREAK));

        // The last qword: an access there is the last one whose end does not wrap (long mode has none beyond).
        assertThat(triggered(exit(EventType.MONITOR, -8L, WRITE))).containsExactly(top);
        assertThat(triggered(exit(EventType.MONITOR, -17L, WRITE))).containsExactly(top);
        assertThat(triggered(exit(EventType.MONITOR, -24L, WRITE))).isEmpty();
        assertThat(triggered(exit(EventType.MONITOR, 0, WRITE))).isEmpty();
    }

    @Test
    void aFilterMatchesItsValueAndNoFilterMatchesAny() {
        long leaf1 = add(EventSpec.cpuid(BREAK).withFilter(1));
        long any = add(EventSpec.cpuid(BREAK));
        long port = add(EventSpec.of(EventType.IO_IN, BREAK).withFilter(0x71));

        assertThat(triggered(exit(EventType.CPUID, 1))).containsExactly(leaf1, any);
        assertThat(triggered(exit(EventType.CPUID, 7))).containsExactly(any);
        assertThat(triggered(exit(EventType.IO_IN, 0x71))).containsExactly(port);
        assertThat(triggered(exit(EventType.IO_IN, 0x70))).isEmpty();
        assertThat(triggered(exit(EventType.IO_OUT, 0x71))).isEmpty();
    }

    @Test
    void aControlRegisterWriteMatchesItsRegisterAndABitOfItsMask() {
        EventSpec cr4 = new EventSpec(EventType.CR_WRITE, 0, OptionalLong.of(4), Optional.empty(), BREAK, true);
        long masked = add(cr4.withMask(0x20));
        long every = add(cr4);

        assertThat(triggered(exit(EventType.CR_WRITE, 4, 0x20))).containsExactly(masked, every);
        assertThat(triggered(exit(EventType.CR_WRITE, 4, 0x30))).containsExactly(masked, every);
        assertThat(triggered(exit(EventType.CR_WRITE, 4, 0x10))).containsExactly(every);
        assertThat(triggered(exit(EventType.CR_WRITE, 0, 0x20))).isEmpty();
    }

    @Test
    void anEventWithoutPositionalsMatchesEveryExitOfItsKind() {
        long tsc = add(EventSpec.of(EventType.TSC, BREAK));

        assertThat(triggered(exit(EventType.TSC, 0))).containsExactly(tsc);
        assertThat(triggered(exit(EventType.TSC, 1))).containsExactly(tsc);
        assertThat(triggered(exit(EventType.PMC, 0))).isEmpty();
    }

    @Test
    void eachEventRunsAtTheStagesItAsksFor() {
        long pre = add(EventSpec.of(EventType.VMCALL, BREAK));
        long post = add(EventSpec.of(EventType.VMCALL, BREAK).withOptions(EventOptions.DEFAULT.withStage(Stage.POST)));
        long all = add(EventSpec.of(EventType.VMCALL, BREAK).withOptions(EventOptions.DEFAULT.withStage(Stage.ALL)));

        VmExit vmcall = exit(EventType.VMCALL, 0);
        assertThat(triggered(vmcall)).containsExactly(pre, all);
        assertThat(triggered(vmcall.post())).containsExactly(post, all);
        assertThat(registry.wantsPost(ExitReason.VMCALL, 0)).isTrue();
        assertThat(registry.wantsPost(ExitReason.CPUID, 0)).isFalse();
    }

    @Test
    void wantsPostLooksAtTheContextToo() {
        add(EventSpec.cpuid(BREAK).withFilter(1).withOptions(EventOptions.DEFAULT.withStage(Stage.POST)));
        add(EventSpec.cpuid(BREAK).withFilter(2));

        assertThat(registry.wantsPost(ExitReason.CPUID, 1)).isTrue();
        assertThat(registry.wantsPost(ExitReason.CPUID, 2)).isFalse();
        assertThat(registry.detourWantsPost(0x401000)).isFalse();
    }

    @Test
    void pidAndCoreOptionsAreLeftToTheActionRunner() {
        // The registry matches the exit; whether this process and core are the event's is decided per trigger.
        EventOptions elsewhere = new EventOptions(OptionalLong.of(2), OptionalInt.of(0), Stage.PRE, false);
        long event = add(EventSpec.cpuid(BREAK).withOptions(elsewhere));

        assertThat(registry.triggeredBy(exit(EventType.CPUID, 1))).singleElement()
                .satisfies(e -> assertThat(e.id()).isEqualTo(event))
                .satisfies(e -> assertThat(e.spec().options()).isEqualTo(elsewhere));
    }

    @Test
    void anEventForACoreTheMachineLacksIsRefusedNotLeftNeverToTrigger() {
        // A core is a thread of the program: any of the 64 may come to exist, core 64 never will.
        EventOptions core64 = new EventOptions(OptionalLong.empty(), OptionalInt.of(64), Stage.PRE, false);

        assertThatThrownBy(() -> registry.add(EventSpec.cpuid(BREAK).withOptions(core64)))
                .isInstanceOfSatisfying(DebuggerException.class,
                        e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.INVALID_ARGUMENT))
                .hasMessage("core 0x40: the emulated machine has at most 64 cores (0 .. 63, one per thread of the "
                        + "program); give one of them or core all");
        assertThat(registry.list()).isEmpty();
        EventOptions core5 = new EventOptions(OptionalLong.empty(), OptionalInt.of(5), Stage.PRE, false);
        registry.add(EventSpec.cpuid(BREAK).withOptions(core5));
        assertThat(registry.list()).hasSize(1);
    }

    @Test
    void disabledAndClearedEventsNeitherTriggerNorAreWatched() {
        long first = add(EventSpec.cpuid(BREAK));
        long second = add(EventSpec.cpuid(BREAK).withEnabled(false));
        assertThat(registry.watches(ExitReason.CPUID)).isTrue();
        assertThat(triggered(exit(EventType.CPUID, 0))).containsExactly(first);

        assertThat(registry.modify(first, EventModification.DISABLE)).containsExactly(first);
        assertThat(triggered(exit(EventType.CPUID, 0))).isEmpty();
        assertThat(registry.watches(ExitReason.CPUID)).isFalse();

        assertThat(registry.modify(null, EventModification.ENABLE)).containsExactly(first, second);
        assertThat(triggered(exit(EventType.CPUID, 0))).containsExactly(first, second);

        assertThat(registry.modify(second, EventModification.CLEAR)).containsExactly(second);
        assertThat(triggered(exit(EventType.CPUID, 0))).containsExactly(first);
        assertThat(registry.list()).extracting(e -> e.id()).containsExactly(first);
        assertThatThrownBy(() -> registry.modify(second, EventModification.ENABLE))
                .isInstanceOfSatisfying(DebuggerException.class,
                        e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.NOT_FOUND))
                .hasMessage("no event 0x" + Long.toHexString(second) + " (list them with: events)");

        assertThat(registry.modify(null, EventModification.CLEAR)).containsExactly(first);
        assertThat(registry.list()).isEmpty();
        assertThat(registry.watches(ExitReason.CPUID)).isFalse();
    }

    @Test
    void idsAreStableAndNeverReused() {
        long first = add(EventSpec.cpuid(BREAK));
        registry.modify(first, EventModification.CLEAR);
        long second = add(EventSpec.cpuid(BREAK));

        assertThat(second).isGreaterThan(first);
        assertThat(registry.addAction(second, new ActionSpec.Break()).id())
                .isGreaterThan(registry.list().getFirst().actionIds().getFirst());
    }

    @Test
    void changesMarkTheArmingDirtyUntilTheNextSafePointAndFreeClearedCodeThere() {
        assertThat(registry.armingDirty()).isFalse();
        long event = add(EventSpec.cpuid(List.of(new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0x90}), 8,
                true))).withCondition(MachineCode.of(new byte[] {0x31, (byte) 0xc0})));
        assertThat(registry.armingDirty()).isTrue();
        registry.settled();
        assertThat(registry.armingDirty()).isFalse();
        int left = root.allocationsLeft();

        registry.modify(event, EventModification.CLEAR);
        assertThat(registry.armingDirty()).isTrue();
        assertThat(root.allocationsLeft()).as("freed only at the safe point").isEqualTo(left);
        registry.settled();
        assertThat(root.allocationsLeft()).as("condition, code and buffer freed").isEqualTo(left + 3);
    }

    @Test
    void theArmingListsTheHooksTheEnabledEventsNeed() {
        add(EventSpec.eptHook(0x401000, BREAK));
        add(new EventSpec(EventType.EPT_HOOK2, 0x402000, OptionalLong.empty(), Optional.empty(), BREAK, true));
        add(EventSpec.monitor(EnumSet.of(Access.READ, Access.EXECUTE), 0x1000, 0x1fff, BREAK));
        add(EventSpec.eptHook(0x403000, BREAK).withEnabled(false));
        assertThat(registry.armed()).isEqualTo(new ArmedExits(Set.of(0x401000L), Set.of(0x402000L), Set.of(),
                List.of(new ArmedExits.MonitorRange(0x1000, 0x1fff, EnumSet.of(Access.READ, Access.EXECUTE))), false));

        add(EventSpec.cpuid(BREAK));
        assertThat(registry.armed().cpuid()).isTrue();
    }

    @Test
    void listingShowsEachEventWithItsActionsStateAndHits() {
        long event = add(EventSpec.cpuid(BREAK).withFilter(1));
        registry.require(event).hit();
        registry.modify(event, EventModification.DISABLE);

        assertThat(registry.list()).singleElement().satisfies(info -> {
            assertThat(info.id()).isEqualTo(event);
            assertThat(info.spec()).isEqualTo(EventSpec.cpuid(BREAK).withFilter(1));
            assertThat(info.actionIds()).hasSize(1);
            assertThat(info.enabled()).isFalse();
            assertThat(info.hits()).isEqualTo(1);
        });
    }

    @Test
    void aLogWhoseRecordCouldNotFitInAFrameIsRefusedWhenAdded() {
        // 600 KB of memory, within the memory limit, but each value also carries its name:
        // a 7 MiB record, which no frame carries (found by LogRecordPropertyTest).
        List<LogItem> small = Collections.nCopies(123_287, new LogItem.Memory(Optional.of("rsp"), IMAGE, 5));
        assertThatThrownBy(() -> registry.add(logging(small))).isInstanceOfSatisfying(DebuggerException.class,
                e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.LIMIT_EXCEEDED))
                .hasMessageContaining("log fewer items");
        // The most memory a log may take, in the largest items, still fits.
        List<LogItem> large = Collections.nCopies(16, new LogItem.Memory(Optional.empty(), IMAGE,
                LogItem.Memory.MAX_LENGTH));
        assertThat(registry.add(logging(large)).id()).isEqualTo(0); // HyperDbg's first event number
    }

    private static EventSpec logging(List<LogItem> items) {
        return EventSpec.eptHook(IMAGE, List.of(new ActionSpec.Log(new LogConfiguration(items), false)));
    }
}
