package dev.hdbg.agent.script;

import dev.hdbg.agent.script.HyperDbgDocExamples.Example;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.script.PseudoRegister;
import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.SourceText;
import dev.hdbg.common.script.SymbolResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static dev.hdbg.agent.script.FakeScriptHost.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HyperDbg's documented examples ({@link HyperDbgDocExamples}): every one checks, and those that make sense on a
 * fake machine without a Windows kernel run with the result the page documents.
 */
class HyperDbgDocExamplesTest {
    static final List<Example> EXAMPLES = HyperDbgDocExamples.ALL;
    private static final Set<String> RUN = Collections.synchronizedSet(new TreeSet<>());

    /** The .script arguments of the pages that use them: $arg0 is the file. */
    private static final Map<String, List<String>> ARGUMENTS = Map.of(
            "ds-hello", List.of("\"C:\\My HyperDbg Scripts\\Hello World.ds\"", "0x55", "@rax+@rbx"),
            "ds-syscall", List.of("\"C:\\My HyperDbg Scripts\\Syscall Log.ds\"", "1ec0", "0x55"),
            "ev-arguments", List.of("\"C:\\path to script\\script.ds\"", "55", "@rax+@rbx"));

    /** The symbols of the pages that name them. */
    private static final SymbolResolver SYMBOLS = SymbolResolver.of(Map.of(
            "nt!CmpAllocatePoolWithTag", 0xfffff8016325c5c0L, "NtCreateFile", BASE + 0x400));

    private static ScriptEnvironment environment(Example e) {
        return ScriptEnvironment.DEFAULT.withSymbols(SYMBOLS).withArguments(ARGUMENTS.getOrDefault(e.id(), List.of()));
    }

    /**
     * The scripts an example's text holds, as hdbg's commands will take them out: the text after {@code ?} (a
     * {@code { ... }} block, or the rest of the line), the braces after {@code script} of an event command, or the
     * whole text when it is a script alone. A prompt ({@code 0: kHyperDbg> }) is dropped.
     */
    static List<String> scripts(String text) {
        String t = text.replaceAll("(?m)^\\d+: kHyperDbg> ", "");
        String trimmed = t.strip();
        if (!trimmed.startsWith("?") && !trimmed.startsWith("!")) {
            return List.of(t);
        }
        List<String> scripts = new ArrayList<>();
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '?') {
                int start = i + 1;
                while (t.charAt(start) == ' ') {
                    start++;
                }
                int end = t.charAt(start) == '{' ? closing(t, start) + 1 : lineEnd(t, start);
                scripts.add(t.substring(start, end));
                i = end;
            } else if (c == '!') {
                int open = t.indexOf('{', t.indexOf("script", i));
                int end = closing(t, open) + 1;
                scripts.add(t.substring(open, end));
                i = end;
            } else {
                throw new IllegalArgumentException("not a command at " + i + ": " + t);
            }
        }
        return scripts;
    }

    private static int lineEnd(String t, int from) {
        int end = t.indexOf('\n', from);
        return end < 0 ? t.length() : end;
    }

    /** The index of the '}' that closes the '{' at {@code open}, skipping strings and comments. */
    private static int closing(String t, int open) {
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"') {
                for (i++; t.charAt(i) != '"'; i++) {
                    if (t.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '/' && t.charAt(i + 1) == '/') {
                i = lineEnd(t, i);
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("no closing brace: " + t);
    }

    @Test
    void thereAreAtLeastThirtyFromTheScriptPages() {
        assertThat(EXAMPLES).hasSizeGreaterThanOrEqualTo(30);
        assertThat(EXAMPLES.stream().map(Example::id).distinct()).hasSameSizeAs(EXAMPLES);
        assertThat(EXAMPLES).allSatisfy(e -> assertThat(e.url()).startsWith("https://docs.hyperdbg.org/commands/"));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EXAMPLES")
    void everyExampleChecks(Example example) throws Exception {
        List<String> scripts = scripts(example.text());
        assertThat(scripts).isNotEmpty();
        for (String script : scripts) {
            ScriptChecker.check(new SourceText(example.id(), script), environment(example));
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("EXAMPLES")
    void theExamplesThatMakeSenseHereRunWithTheDocumentedResult(Example example) throws Exception {
        Run r = new Run(example);
        if (r.expect()) {
            RUN.add(example.id());
        }
    }

    @Test
    void mostExamplesRun() throws Exception {
        for (Example e : EXAMPLES) {
            if (new Run(e).expect()) {
                RUN.add(e.id());
            }
        }
        assertThat(RUN).hasSizeGreaterThanOrEqualTo(60);
    }

    /** One example run on a fresh fake machine: the setup its page implies, the runs, the documented result. */
    private static final class Run {
        final Example example;
        final Scripts s = new Scripts();
        final FakeScriptHost h = s.host;

        Run(Example example) {
            this.example = example;
            s.environment = environment(example);
        }

        void run() throws Exception {
            for (String script : scripts(example.text())) {
                new ScriptCompiler(s.globals, s.limits, 1)
                        .compile(new SourceText(example.id(), script), s.environment).run(h, 0);
            }
        }

        void set(GuestRegister r, long value) {
            h.set(r, value);
        }

        void pseudo(PseudoRegister p, long value) {
            h.pseudo.put(p, value);
        }

        long reg(GuestRegister r) {
            return h.reg(r);
        }

        long global(String name) {
            return s.global(name);
        }

        /** Runs the example and checks its documented result; false for one that needs a real target. */
        boolean expect() throws Exception {
            switch (example.id()) {
                case "va-register" -> {
                    run();
                    assertThat(reg(GuestRegister.RAX)).isEqualTo(0x55);
                }
                case "va-register-poi" -> {
                    h.putLong(BASE + 0x100, 8, 0x1122334455667788L);
                    set(GuestRegister.RCX, BASE + 0x100);
                    run();
                    assertThat(reg(GuestRegister.R15)).isEqualTo(0x1122334455667788L);
                }
                case "va-register-if" -> {
                    set(GuestRegister.RCX, 0x55);
                    set(GuestRegister.RDX, 1);
                    set(GuestRegister.RAX, 2);
                    run();
                    assertThat(reg(GuestRegister.RCX)).isEqualTo(1 + 2 + 0x12);
                }
                case "va-global-zero" -> {
                    s.globals.set("my_variable", 5);
                    run();
                    assertThat(global("my_variable")).isZero();
                }
                case "va-global-proc" -> {
                    pseudo(PseudoRegister.PROC, 0x1000);
                    run();
                    assertThat(global("my_variable")).isEqualTo(0x1010);
                }
                case "va-global-registers" -> {
                    set(GuestRegister.RAX, 0x100);
                    set(GuestRegister.RCX, 0x10);
                    run();
                    assertThat(global("my_variable")).isEqualTo(0xf8);
                }
                case "va-global-function" -> {
                    set(GuestRegister.RCX, BASE);
                    run();
                    assertThat(global("my_variable")).isEqualTo(1);
                    set(GuestRegister.RCX, 0);
                    run();
                    assertThat(global("my_variable")).isZero();
                }
                case "va-global-step" -> {
                    s.globals.set("my_variable", 7);
                    run();
                    assertThat(global("my_variable")).isEqualTo(7);
                }
                case "va-spinlock" -> {
                    run();
                    assertThat(global("my_global_var")).isEqualTo(0x1234);
                    assertThat(global("my_global_variable_lock")).isZero();
                }
                case "va-interlocked" -> {
                    run();
                    run();
                    assertThat(global("my_global_counter")).isEqualTo(2);
                }
                case "va-compound" -> {
                    run();
                    assertThat(h.output).containsExactly("t1 is: 6\n", "t1 is: 192\n");
                }
                case "va-multiple-local" -> {
                    run();
                    assertThat(h.output).containsExactly("t1 equals to: 0x85\n", "t2 equals to: 0x85\n");
                }
                case "va-multiple-global" -> {
                    run();
                    assertThat(h.output).containsExactly("global variable gv1 equals to: 0x85\n",
                            "global variable gv2 equals to: 0x85\n", "global variable gv3 equals to: 0x85\n");
                }
                case "cl-if" -> {
                    set(GuestRegister.RAX, 0x55);
                    run();
                    set(GuestRegister.RAX, 0x56);
                    run();
                    assertThat(h.output).containsExactly("rax is equal to 55\n");
                }
                case "cl-if-boolean", "ev-if" -> conditionIsMet();
                case "cl-else" -> {
                    set(GuestRegister.RAX, 0x56);
                    run();
                    assertThat(h.output).containsExactly("rax is not equal to 0x55, it is equal to 56\n");
                }
                case "cl-elsif" -> {
                    set(GuestRegister.RAX, 0x77);
                    run();
                    set(GuestRegister.RAX, 0x88);
                    run();
                    assertThat(h.output).containsExactly("rax is equal to 0x77\n",
                            "rax is not equal to 0x55, 0x66, 0x77. It is equal to 88\n");
                }
                case "cl-for" -> {
                    run();
                    assertThat(h.output).containsExactlyElementsOf(
                            IntStream.iterate(16, i -> i > 0, i -> i - 1).mapToObj(i -> i + "\n").toList());
                }
                case "cl-for-nested", "ev-for" -> {
                    run();
                    assertThat(h.output).hasSize(256).startsWith("0, 0\n", "0, 1\n").endsWith("15, 15\n");
                    assertThat(h.output.get(17)).isEqualTo("1, 1\n");
                }
                case "cl-while", "cl-do-while" -> {
                    run();
                    assertThat(h.output).hasSize(0x55).startsWith("x = 55\n", "x = 54\n").endsWith("x = 1\n");
                }
                case "cf-void" -> {
                    run();
                    assertThat(h.printed()).isEqualTo("var = 1, var2 = 2\n".repeat(3) + "79\n");
                }
                case "cf-int" -> {
                    run();
                    assertThat(h.output).containsExactly("my_func1 3\n", "my_func2 4\n", "my_func3 4\n",
                            "my_func4 11\n", "11\n");
                }
                case "cf-fibonacci-recursive", "cf-fibonacci-iterative" -> {
                    run();
                    assertThat(h.printed()).isEqualTo("34");
                }
                case "dt-int" -> {
                    run();
                    assertThat(h.printed()).isEqualTo("x = 42, y = 100\n");
                }
                case "dt-int-loop" -> {
                    run();
                    assertThat(h.printed()).isEqualTo("sum of 1..5 = 15\n");
                }
                case "ae-eb", "fn-eb-pa" -> {
                    h.putLong(BASE, 8, BASE + 0x40);
                    set(GuestRegister.RCX, BASE);
                    run();
                    assertThat(h.getLong(BASE + 0x48, 1)).isEqualTo(0x90);
                }
                case "ds-hello" -> {
                    set(GuestRegister.RAX, 2);
                    set(GuestRegister.RBX, 3);
                    run();
                    assertThat(h.printed()).isEqualTo("Hello World\nThe first argument is : 55\n"
                            + "Result of rax + rbx is : 5\n");
                }
                case "ds-syscall" -> {
                    pseudo(PseudoRegister.PID, 0x1ec0);
                    pseudo(PseudoRegister.TID, 0x10);
                    set(GuestRegister.RAX, 0x55);
                    set(GuestRegister.RCX, 1);
                    set(GuestRegister.RDX, 2);
                    set(GuestRegister.R8, 3);
                    set(GuestRegister.R9, 4);
                    run();
                    set(GuestRegister.RAX, 0x56);
                    run();
                    assertThat(h.output).containsExactly(
                            "[1ec0:10] Syscall num: 55, arg1: 1, arg2: 2, arg3: 3, arg4: 4\n");
                }
                case "ev-printf" -> {
                    h.putString(BASE + 0x100, "notepad.exe");
                    pseudo(PseudoRegister.PNAME, BASE + 0x100);
                    pseudo(PseudoRegister.PID, 4);
                    set(GuestRegister.RAX, 0x1234);
                    run();
                    assertThat(h.printed()).isEqualTo("The RAX register is: 1234 at Process Name: notepad.exe"
                            + " (pid: 4)");
                }
                case "ev-registers" -> {
                    set(GuestRegister.CR0, 0x80000011L);
                    set(GuestRegister.RCX, 0x100);
                    set(GuestRegister.RFLAGS, 0x202);
                    run();
                    assertThat(reg(GuestRegister.RAX)).isEqualTo(0x55);
                    assertThat(reg(GuestRegister.CR0)).isEqualTo(0x80000015L);
                    assertThat(reg(GuestRegister.RFLAGS)).isEqualTo(0x242);
                    assertThat(reg(GuestRegister.RBX)).isEqualTo(0x100 + 0x10 + 0x55);
                }
                case "ev-eq", "fn-eq-if" -> {
                    set(GuestRegister.R11, BASE + 8);
                    run();
                    assertThat(h.printed()).isEqualTo("changes are applied.\n");
                    assertThat(h.getLong(BASE + 8, 8)).isEqualTo(0x12345678deadbeefL);
                }
                case "ev-arguments" -> {
                    set(GuestRegister.RAX, 2);
                    set(GuestRegister.RBX, 3);
                    run();
                    assertThat(h.printed()).isEqualTo("First argument is : 55\nResult of rax + rbx is : 5\n");
                }
                case "ex-shared-variable" -> {
                    pseudo(PseudoRegister.CONTEXT, 0x55);
                    run();
                    List<String> scripts = scripts(example.text());
                    CompiledScript event = new ScriptCompiler(s.globals, s.limits, 1)
                            .compile(new SourceText("event", scripts.getLast()), s.environment);
                    event.run(h, 0);
                    pseudo(PseudoRegister.CONTEXT, 0x56);
                    event.run(h, 0);
                    assertThat(global("my_counter")).isEqualTo(2);
                    assertThat(global("my_lock")).isZero();
                    assertThat(h.output).containsExactly("NtCreateFile syscall (0x0055) is called 1 times\n",
                            "NtCreateFile syscall (0x0055) is called 2 times\n");
                }
                case "ex-state-ebx" -> {
                    set(GuestRegister.RDX, 0x10);
                    set(GuestRegister.RBX, 0xaaaaaaaa00000000L);
                    run();
                    // @rdx | (0xfffff550 + @edx): + binds tighter than |
                    assertThat(reg(GuestRegister.RBX)).isEqualTo(0xaaaaaaaafffff570L);
                }
                case "ex-state-cr3" -> {
                    run();
                    assertThat(reg(GuestRegister.CR3)).isEqualTo(0xff00ee);
                }
                case "ex-state-rip-rsp" -> {
                    run();
                    assertThat(reg(GuestRegister.RIP)).isEqualTo(0xfffff8003ad6f010L);
                    assertThat(reg(GuestRegister.RSP)).isEqualTo(0xfffff8005b660000L);
                }
                case "ex-state-global" -> {
                    set(GuestRegister.RAX, 0x100);
                    set(GuestRegister.RDX, 0x100000020L);
                    run();
                    assertThat(global("my_global_var")).isEqualTo(0x120);
                }
                case "ex-state-check-address", "fn-check-address" -> {
                    set(GuestRegister.R11, BASE);
                    run();
                    set(GuestRegister.R11, 0xffff83811f265040L);
                    run();
                    assertThat(h.output).containsExactly("address is valid.\n", "address is invalid.\n");
                }
                case "ex-conditional-breakpoint" -> {
                    set(GuestRegister.RSP, BASE + 0x100);
                    h.putLong(BASE + 0x100, 8, 0xfffff8016325c5c9L);
                    run();
                    h.putLong(BASE + 0x100, 8, 0xfffff8016325c5c4L);
                    run();
                    assertThat(h.pauses).isEqualTo(1);
                }
                case "ex-count-occurrences" -> {
                    run();
                    run();
                    assertThat(global("my_counter")).isEqualTo(2);
                    assertThat(global("Result")).isEqualTo(2);
                }
                case "ex-patch-zf" -> {
                    set(GuestRegister.RFLAGS, 0x246);
                    run();
                    assertThat(reg(GuestRegister.RFLAGS)).isEqualTo(0x206);
                }
                case "ex-pause-on-file" -> {
                    objectAttributes("\\??\\C:\\folder\\test.txt");
                    run();
                    objectAttributes("\\??\\C:\\folder\\other.txt");
                    run();
                    assertThat(h.pauses).isEqualTo(1);
                }
                case "ex-trace-calls" -> {
                    objectAttributes("\\Device\\MountPointManager");
                    run();
                    assertThat(h.printed()).isEqualTo("\\Device\\MountPointManager\n");
                }
                case "ex-view-string", "fn-printf" -> {
                    h.putString(BASE + 0x20, "hello");
                    set(GuestRegister.RCX, BASE + 0x20);
                    run();
                    assertThat(h.printed()).isEqualTo(example.id().equals("fn-printf") ? "Result is hello"
                            : "Result : hello");
                }
                case "ex-view-pname" -> {
                    h.putString(BASE + 0x20, "loop");
                    pseudo(PseudoRegister.PNAME, BASE + 0x20);
                    run();
                    assertThat(h.printed()).isEqualTo("Process name: loop");
                }
                case "ex-view-dq", "fn-print-dq" -> {
                    h.putLong(BASE + 0x30, 8, 0x1122334455667788L);
                    set(GuestRegister.RCX, BASE + 0x30);
                    run();
                    assertThat(h.printed()).isEqualTo("1122334455667788\n");
                }
                case "ex-view-proc" -> {
                    pseudo(PseudoRegister.PROC, 0x1000);
                    set(GuestRegister.RDX, 0x20);
                    run();
                    assertThat(h.printed()).isEqualTo("1020\n");
                }
                case "ex-view-poi" -> {
                    set(GuestRegister.RAX, BASE);
                    h.putLong(BASE + 0xa0, 8, 0xabc);
                    run();
                    assertThat(h.printed()).isEqualTo("abc\n");
                }
                case "ex-view-symbol" -> {
                    h.putLong(BASE + 0x410, 2, 0xbeef);
                    run();
                    assertThat(h.printed()).isEqualTo("beef\n");
                }
                case "ex-view-nested" -> {
                    // NtCreateFile + @rcx + ($proc | (3 + poi(poi(@rax))))
                    set(GuestRegister.RCX, 0x10);
                    pseudo(PseudoRegister.PROC, 0x100);
                    set(GuestRegister.RAX, BASE + 0x800);
                    h.putLong(BASE + 0x800, 8, BASE + 0x810);
                    h.putLong(BASE + 0x810, 8, 0x20);
                    h.putLong(BASE + 0x400 + 0x10 + 0x123, 2, 0x4242);
                    run();
                    assertThat(h.printed()).isEqualTo("4242\n");
                }
                case "fn-pause" -> {
                    run();
                    assertThat(h.pauses).isEqualTo(1);
                }
                case "fn-event-disable" -> {
                    pseudo(PseudoRegister.EVENT_ID, 7);
                    run();
                    assertThat(h.calls).containsExactly("event_disable 7");
                }
                case "fn-event-enable" -> {
                    run();
                    assertThat(h.calls).containsExactly("event_enable 1");
                }
                case "fn-event-clear" -> {
                    pseudo(PseudoRegister.EVENT_ID, 3);
                    run();
                    assertThat(h.calls).containsExactly("event_clear 3");
                }
                case "fn-event-sc" -> {
                    run();
                    assertThat(h.shortCircuit).isTrue();
                }
                case "fn-flush" -> {
                    run();
                    assertThat(h.calls).containsExactly("flush");
                }
                case "fn-print" -> {
                    set(GuestRegister.RCX, 0x1234);
                    run();
                    assertThat(h.printed()).isEqualTo("1234\n");
                }
                case "fn-interlocked-increment" -> {
                    run();
                    assertThat(global("my_gloabl_counter")).isEqualTo(1);
                }
                case "fn-interlocked-decrement" -> {
                    s.globals.set("my_gloabl_counter", 5);
                    run();
                    assertThat(global("my_gloabl_counter")).isEqualTo(4);
                }
                case "fn-interlocked-exchange-add" -> {
                    s.globals.set("my_gloabl_counter", 1);
                    run();
                    assertThat(global("my_gloabl_counter")).isEqualTo(0x56);
                }
                case "fn-memcpy" -> {
                    set(GuestRegister.RSP, BASE + 0x100);
                    for (int i = 0; i < 0x20; i++) {
                        h.putLong(BASE + 0x100 + i, 1, 0x80 + i);
                    }
                    pseudo(PseudoRegister.BUFFER, BASE + 0x500);
                    run();
                    // "Copies 0x16 bytes": the size is hex
                    assertThat(h.getLong(BASE + 0x500 + 0x15, 1)).isEqualTo(0x95);
                    assertThat(h.getLong(BASE + 0x500 + 0x16, 1)).isZero();
                }
                case "fn-spinlock-lock", "fn-spinlock-custom-wait" -> {
                    run();
                    assertThat(global("my_lock")).isEqualTo(1);
                }
                case "fn-spinlock-unlock" -> {
                    s.globals.set("my_lock_var", 1);
                    run();
                    assertThat(global("my_lock_var")).isZero();
                }
                case "fn-microsleep" -> {
                    run();
                    assertThat(h.sleptMicroseconds).isEqualTo(0x100);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private void conditionIsMet() throws Exception {
            if (example.id().equals("ev-if")) {
                set(GuestRegister.RAX, 0x55);
            }
            h.putLong(BASE + 0x10, 8, 0xffff7080deadbeefL);
            set(GuestRegister.RCX, BASE);
            set(GuestRegister.RDX, 0x56);
            set(GuestRegister.R11, 0x20);
            run();
            String met = "condition is met\n";
            List<String> expected = example.id().equals("ev-if")
                    ? List.of("rax is equal to 0x55", met, "address is invalid.\n") : List.of(met);
            assertThat(h.output).containsExactlyElementsOf(expected);
            // and the $pid == 4 side of the ||, with the && side false
            h.output.clear();
            set(GuestRegister.RDX, 0x55);
            pseudo(PseudoRegister.PID, 4);
            run();
            assertThat(h.output).contains(met);
            h.output.clear();
            pseudo(PseudoRegister.PID, 5);
            run();
            assertThat(h.output).doesNotContain(met);
        }

        /** R8 -> OBJECT_ATTRIBUTES, whose ObjectName (+0x10) -> UNICODE_STRING, whose Buffer (+8) -> the name. */
        private void objectAttributes(String name) {
            set(GuestRegister.R8, BASE + 0x100);
            h.putLong(BASE + 0x110, 8, BASE + 0x200);
            h.putLong(BASE + 0x208, 8, BASE + 0x300);
            h.putWideString(BASE + 0x300, name);
        }
    }
}
