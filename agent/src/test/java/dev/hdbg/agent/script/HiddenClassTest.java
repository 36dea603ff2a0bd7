package dev.hdbg.agent.script;

import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.SourceText;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HiddenClassTest {
    private final ScriptGlobals globals = new ScriptGlobals();
    private final FakeScriptHost host = new FakeScriptHost();

    private CompiledScript compile(String text, int cores) throws Exception {
        return new ScriptCompiler(globals, RunLimits.DEFAULT, cores)
                .compile(new SourceText("script", text), ScriptEnvironment.DEFAULT);
    }

    /** A script that counts its runs in a local of its own, exposed through a global. */
    private static String counter(String global) {
        // The local is assigned before it is read only on the first run of a core; it keeps its value after.
        return "if ($context == 0) { n = 0; } n = n + 1; ." + global + " = n;";
    }

    @Test
    void eachScriptIsItsOwnHiddenClass() throws Exception {
        CompiledScript a = compile("x = 1;", 1);
        CompiledScript b = compile("x = 1;", 1);
        Class<?> ca = bodyClass(a);
        Class<?> cb = bodyClass(b);
        assertThat(ca).isNotSameAs(cb);
        assertThat(ca.isHidden()).isTrue();
        assertThat(cb.isHidden()).isTrue();
        assertThat(ca.getPackageName()).isEqualTo("dev.hdbg.agent.script");
    }

    private static Class<?> bodyClass(CompiledScript script) throws Exception {
        java.lang.reflect.Field body = CompiledScript.class.getDeclaredField("body");
        body.setAccessible(true);
        return body.get(script).getClass();
    }

    @Test
    void localsKeepTheirValueBetweenRunsAndTwoScriptsDoNotShareThem() throws Exception {
        CompiledScript a = compile(counter("a"), 1);
        CompiledScript b = compile(counter("b"), 1);
        host.pseudo.put(dev.hdbg.common.script.PseudoRegister.CONTEXT, 0L);
        a.run(host, 0);
        b.run(host, 0);
        host.pseudo.put(dev.hdbg.common.script.PseudoRegister.CONTEXT, 1L);
        for (int i = 0; i < 4; i++) {
            a.run(host, 0);
        }
        b.run(host, 0);
        assertThat(globals.value("a")).hasValue(5);
        assertThat(globals.value("b")).hasValue(2);
    }

    @Test
    void eachCoreHasItsOwnLocals() throws Exception {
        CompiledScript s = compile(counter("last"), 2);
        host.pseudo.put(dev.hdbg.common.script.PseudoRegister.CONTEXT, 0L);
        s.run(host, 0);
        s.run(host, 1);
        host.pseudo.put(dev.hdbg.common.script.PseudoRegister.CONTEXT, 1L);
        s.run(host, 0);
        s.run(host, 0);
        assertThat(globals.value("last")).hasValue(3);
        s.run(host, 1);
        assertThat(globals.value("last")).hasValue(2);
        assertThatThrownBy(() -> s.run(host, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("core 2 is not one of this script's 2 cores");
    }

    @Test
    void globalsAreSharedByEveryScriptOfTheMachine() throws Exception {
        compile(".shared = 0x55;", 1).run(host, 0);
        compile(".copy = .shared + 1;", 1).run(host, 0);
        assertThat(globals.value("copy")).hasValue(0x56);
        // another machine has its own
        ScriptGlobals other = new ScriptGlobals();
        new ScriptCompiler(other, RunLimits.DEFAULT, 1)
                .compile(new SourceText("s", ".copy = .shared + 1;"), ScriptEnvironment.DEFAULT).run(host, 0);
        assertThat(other.value("copy")).hasValue(1);
    }

    @Test
    void aMachineHasRoomForFiveHundredAndTwelveGlobals() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < ScriptGlobals.CAPACITY; i++) {
            many.append(".g").append(i).append("x = 1;\n");
        }
        compile(many.toString(), 1).run(host, 0);
        assertThat(globals.value("g511x")).hasValue(1);
        assertThatThrownBy(() -> compile(".one_more = 1;", 1)).hasMessageContaining("already has 512 global");
    }

    @Test
    void interlockedIncrementsFromManyThreadsLoseNothing() throws Exception {
        int threads = 4;
        int runs = 20_000;
        CompiledScript s = compile("interlocked_increment(&.counter); spinlock_lock(&.lock); .plain = .plain + 1;"
                + " spinlock_unlock(&.lock);", threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<?>[] done = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                int core = t;
                FakeScriptHost own = new FakeScriptHost(16);
                done[t] = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < runs; i++) {
                        s.run(own, core);
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(globals.value("counter")).hasValue((long) threads * runs);
        assertThat(globals.value("plain")).hasValue((long) threads * runs);
        assertThat(globals.value("lock")).hasValue(0);
    }

    @Test
    void aCompiledScriptsClassIsUnloadedOnceTheScriptIsUnreachable() throws Exception {
        // Hidden classes are not kept by their loader: compiling scripts does not fill the metaspace for ever.
        java.lang.ref.WeakReference<Class<?>> hidden = new java.lang.ref.WeakReference<>(bodyClass(compile("x = 1;", 1)));
        for (int i = 0; i < 50 && hidden.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(hidden.get()).isNull();
    }
}
