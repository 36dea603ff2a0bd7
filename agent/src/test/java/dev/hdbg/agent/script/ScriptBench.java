package dev.hdbg.agent.script;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.SourceText;

/**
 * Times one run of a compiled script against {@link FakeScriptHost}: phase 2's hot {@code !epthook} condition, with
 * a hand-written Java condition beside it as the baseline. Not a test: run it with
 * {@code java -cp ... dev.hdbg.agent.script.ScriptBench [runs]}; it prints nanoseconds per run, best of 5 rounds.
 */
public final class ScriptBench {
    private static final String CONDITION = "if (@rdi == 0x12345) { pause(); }";

    private ScriptBench() {
    }

    public static void main(String[] args) throws Exception {
        long runs = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        FakeScriptHost host = new FakeScriptHost();
        host.set(GuestRegister.RDI, 7);
        CompiledScript script = new ScriptCompiler(new ScriptGlobals(), RunLimits.DEFAULT, 1)
                .compile(new SourceText("bench", CONDITION), ScriptEnvironment.DEFAULT);
        // Four hidden classes through the one call site CompiledScript.run has: what many events' scripts cost.
        CompiledScript[] many = new CompiledScript[4];
        for (int i = 0; i < many.length; i++) {
            many[i] = new ScriptCompiler(new ScriptGlobals(), RunLimits.DEFAULT, 1)
                    .compile(new SourceText("bench" + i, CONDITION + " x" + i + " = 1;"), ScriptEnvironment.DEFAULT);
        }
        FakeScriptHost baselineHost = host;
        for (int round = 0; round < 3; round++) {
            timeScript(script, host, runs / 4);
            timeScripts(many, host, runs / 4);
            timeBaseline(baselineHost, runs / 4);
        }
        double bestScript = Double.MAX_VALUE;
        double bestMany = Double.MAX_VALUE;
        double bestBaseline = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            bestScript = Math.min(bestScript, timeScript(script, host, runs));
            bestMany = Math.min(bestMany, timeScripts(many, host, runs));
            bestBaseline = Math.min(bestBaseline, timeBaseline(baselineHost, runs));
        }
        System.out.printf("script      %-40s %6.2f ns/run (%.0f M runs/s)%n", CONDITION, bestScript,
                1e3 / bestScript);
        System.out.printf("4 scripts   %-40s %6.2f ns/run (%.0f M runs/s)%n", "the same, 4 hidden classes in turn",
                bestMany, 1e3 / bestMany);
        System.out.printf("baseline    %-40s %6.2f ns/run (%.0f M runs/s)%n",
                "Java: host.readRegister(RDI) == 0x12345", bestBaseline, 1e3 / bestBaseline);
        System.out.printf("ratio       script / baseline = %.2f, 4 scripts / baseline = %.2f (pauses: %d)%n",
                bestScript / bestBaseline, bestMany / bestBaseline, host.pauses);
    }

    private static double timeScript(CompiledScript script, FakeScriptHost host, long runs)
            throws ScriptRunException {
        long sink = 0;
        int rdi = GuestRegister.RDI.ordinal();
        long start = System.nanoTime();
        for (long i = 0; i < runs; i++) {
            // A new RDI each trigger, never 0x12345, as the guest's loop gives it: nothing can be hoisted.
            host.registers[rdi] = i | 0x100000;
            sink += script.run(host, 0);
        }
        long elapsed = System.nanoTime() - start;
        if (sink != 0) {
            throw new AssertionError("the condition was never true: " + sink);
        }
        return (double) elapsed / runs;
    }

    private static double timeScripts(CompiledScript[] scripts, FakeScriptHost host, long runs)
            throws ScriptRunException {
        long sink = 0;
        int rdi = GuestRegister.RDI.ordinal();
        long start = System.nanoTime();
        for (long i = 0; i < runs; i++) {
            host.registers[rdi] = i | 0x100000;
            sink += scripts[(int) (i & 3)].run(host, 0);
        }
        long elapsed = System.nanoTime() - start;
        if (sink != 0) {
            throw new AssertionError("the condition was never true: " + sink);
        }
        return (double) elapsed / runs;
    }

    private static double timeBaseline(FakeScriptHost host, long runs) {
        int rdi = GuestRegister.RDI.ordinal();
        long start = System.nanoTime();
        for (long i = 0; i < runs; i++) {
            host.registers[rdi] = i | 0x100000;
            if (((ScriptHost) host).readRegister(GuestRegister.RDI) == 0x12345) {
                host.pause();
            }
        }
        return (double) (System.nanoTime() - start) / runs;
    }
}
