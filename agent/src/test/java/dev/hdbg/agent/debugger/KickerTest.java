package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.vmx.ExitHandler;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.VmExit;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gate between kicks and exit handlers: a kick ({@link Cpu#stop()}) never lands while an exit is handled, nested
 * exits included, and lands when none is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KickerTest {
    /** Counts stops, and those made while a handler runs. */
    private final AtomicInteger stops = new AtomicInteger();
    private final AtomicInteger stopsInHandler = new AtomicInteger();
    private final AtomicBoolean inHandler = new AtomicBoolean();
    /** The watchdog's ticks waiting to run, run by hand. */
    private final Deque<Runnable> scheduled = new ArrayDeque<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Kicker kicker = new Kicker(cpu(), () -> true, running::get, new Kicker.Timer() {
        @Override
        public void after(long millis, Runnable task) {
            scheduled.add(task);
        }

        @Override
        public void close() {
        }
    });
    private static final VmExit CPUID = VmExit.pre(ExitReason.CPUID, 0);

    private Cpu cpu() {
        return (Cpu) Proxy.newProxyInstance(Cpu.class.getClassLoader(), new Class<?>[] {Cpu.class}, (proxy, method, args) -> {
            if (method.getName().equals("stop")) {
                stops.incrementAndGet();
                if (inHandler.get()) {
                    stopsInHandler.incrementAndGet();
                }
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    private ExitHandler handler(Runnable body) {
        return new ExitHandler() {
            @Override
            public boolean onExit(VmExit exit) {
                inHandler.set(true);
                body.run();
                inHandler.set(false);
                return false;
            }

            @Override
            public boolean wantsPost(ExitReason reason, long context) {
                return false;
            }

            @Override
            public boolean watches(ExitReason reason) {
                return true;
            }
        };
    }

    private void kickFromAnotherThread() throws InterruptedException {
        Thread other = Thread.ofPlatform().start(kicker::kickIfWanted);
        other.join();
    }

    @Test
    void aKickWaitsWhileAnExitIsHandledAndLandsOutsideOne() throws Exception {
        ExitHandler gated = kicker.gated(handler(() -> {
            try {
                kickFromAnotherThread();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));

        gated.onExit(CPUID);
        assertThat(stops).hasValue(0);

        kickFromAnotherThread();
        assertThat(stops).hasValue(1);
    }

    @Test
    void aNestedExitKeepsKicksOutUntilTheOutermostHandlerReturns() throws Exception {
        ExitHandler[] nested = new ExitHandler[1];
        nested[0] = kicker.gated(handler(() -> { }));
        ExitHandler outer = kicker.gated(new ExitHandler() {
            @Override
            public boolean onExit(VmExit exit) {
                nested[0].onExit(CPUID); // vmx-root code running the guest raises an exit inside this one
                try {
                    kickFromAnotherThread();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return false;
            }

            @Override
            public boolean wantsPost(ExitReason reason, long context) {
                return false;
            }

            @Override
            public boolean watches(ExitReason reason) {
                return true;
            }
        });

        outer.onExit(CPUID);
        assertThat(stops).hasValue(0);

        kickFromAnotherThread();
        assertThat(stops).hasValue(1);
    }

    @Test
    void kicksRacingWithExitsNeverLandInsideAHandler() throws Exception {
        ExitHandler gated = kicker.gated(handler(Thread::onSpinWait));
        AtomicBoolean done = new AtomicBoolean();
        Thread kicks = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                kicker.kickIfWanted();
            }
        });
        for (int i = 0; i < 200_000; i++) {
            gated.onExit(CPUID);
        }
        done.set(true);
        kicks.join();

        assertThat(stopsInHandler).hasValue(0);
        int before = stops.get();
        kicker.kickIfWanted();
        assertThat(stops).hasValue(before + 1);
    }

    @Test
    void aCodeHooksHandlerReturnsOnlyOnceAnotherThreadsKickIsMade() throws Exception {
        CountDownLatch kickerInsideStop = new CountDownLatch(1);
        CountDownLatch letTheStopEnd = new CountDownLatch(1);
        AtomicBoolean stopMade = new AtomicBoolean();
        Thread executing = Thread.currentThread();
        Thread[] watchdog = new Thread[1];
        Cpu slowToStop = (Cpu) Proxy.newProxyInstance(Cpu.class.getClassLoader(), new Class<?>[] {Cpu.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("stop")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    kickerInsideStop.countDown();
                    letTheStopEnd.await(); // the kicking thread lost its core
                    stopMade.set(true);
                    return null;
                });
        Kicker[] slow = new Kicker[1];
        slow[0] = new Kicker(slowToStop, () -> {
            if (Thread.currentThread() == executing && watchdog[0] == null) {
                // The handler has left the gate and asks whether to stop: a watchdog tick takes the gate first.
                watchdog[0] = Thread.ofPlatform().start(slow[0]::kickIfWanted);
                try {
                    kickerInsideStop.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    letTheStopEnd.countDown();
                });
            }
            return true;
        }, running::get, new Kicker.Timer() {
            @Override
            public void after(long millis, Runnable task) {
            }

            @Override
            public void close() {
            }
        });

        slow[0].gated(handler(() -> { })).onExit(VmExit.pre(ExitReason.EPT_HOOK, 0x401000));

        assertThat(stopMade).as("the stop was made before the hooked instruction could run").isTrue();
        watchdog[0].join();
    }

    @Test
    void theWatchdogSleepsWhileTheGuestIsStoppedAndKicksWhileItRuns() {
        assertThat(scheduled).as("nothing runs: no tick").isEmpty();

        running.set(true);
        kicker.watch();
        kicker.watch();
        assertThat(scheduled).as("one tick, however often watched").hasSize(1);
        scheduled.poll().run();
        assertThat(stops).as("the tick repeats the wanted stop").hasValue(1);
        assertThat(scheduled).as("and comes again while the guest runs").hasSize(1);

        running.set(false);
        scheduled.poll().run();
        assertThat(scheduled).as("the guest stopped: no further tick (it ticked every 5 ms before)").isEmpty();
        assertThat(kicker.watchdogTicks()).isEqualTo(2);

        running.set(true);
        kicker.watch();
        assertThat(scheduled).as("watched again for the next run").hasSize(1);
        assertThat(kicker.watchdogStarts()).isEqualTo(2);
    }

    @Test
    void aRunStartedWhileTheLastTickGivesUpIsStillWatched() {
        AtomicInteger looks = new AtomicInteger();
        Kicker[] racing = new Kicker[1];
        racing[0] = new Kicker(cpu(), () -> false, () -> {
            if (looks.incrementAndGet() == 1) {
                // The tick found the guest stopped; before it clears its flag the guest runs again and asks for the
                // watchdog, which finds it still set.
                running.set(true);
                racing[0].watch();
                return false;
            }
            return running.get();
        }, new Kicker.Timer() {
            @Override
            public void after(long millis, Runnable task) {
                scheduled.add(task);
            }

            @Override
            public void close() {
            }
        });
        racing[0].watch();
        scheduled.poll().run();
        assertThat(scheduled).as("the tick that gave up looked again and stayed").hasSize(1);
        assertThat(racing[0].watchdogStarts()).as("the racing watch() left it to that tick").isEqualTo(1);
    }
}
