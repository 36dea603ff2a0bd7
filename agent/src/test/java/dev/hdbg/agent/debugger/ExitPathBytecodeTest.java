package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The methods every hit of a hot script condition runs hold no invokedynamic: a pattern switch over a sealed type
 * compiles to one (a {@code typeSwitch} bootstrapped at the first hit and run through method handles until the JIT
 * compiles the caller, about 2 µs a switch while warming up, where an enum switch or an instanceof is a few
 * bytecodes), and so does a lambda made or a string concatenated (docs/benchmarks.md, "Script hits, wave 6"). The
 * action loop makes a log action's record with a lambda, on the log path only: there only switches are counted. Read
 * from the compiled classes with the class-file API.
 */
class ExitPathBytecodeTest {
    @Test
    void matchingAnExitToItsEventsRunsNoInvokedynamic() throws IOException {
        assertThat(invokedynamicsIn(EventRegistry.class, Set.of("candidates", "triggers", "matches", "matchesContext",
                "stageMatches", "wantsPost", "watches"))).isEmpty();
    }

    @Test
    void triggeringAnEventAndRunningItsScriptRunsNoInvokedynamic() throws IOException {
        assertThat(invokedynamicsIn(ActionRunner.class, Set.of("onExit", "trigger", "onThisProcessAndCore",
                "conditionHolds", "runScript", "skippable", "wantsPost", "watches"))).isEmpty();
        assertThat(invokedynamicsIn(ActionRunner.class, Set.of("runActions"))).allMatch(
                bootstrap -> !bootstrap.contains("SwitchBootstraps"));
        assertThat(invokedynamicsIn(ScriptActions.class, Set.of("run"))).isEmpty();
        assertThat(invokedynamicsIn(GuestScriptHost.class, Set.of("begin", "readRegister", "pauseRequested",
                "shortCircuit"))).isEmpty();
    }

    @Test
    void theCheckFindsAPatternSwitchOverASealedType() throws IOException {
        // ContextMatch.of is the pattern switch over Positional the exit path no longer runs: the check sees it.
        assertThat(invokedynamicsIn(ContextMatch.class, Set.of("of"))).containsExactly(
                "of: java.lang.runtime.SwitchBootstraps.typeSwitch");
    }

    /** The invokedynamics in the methods named {@code names}, as "method: bootstrap class.method", one a site. */
    private static List<String> invokedynamicsIn(Class<?> type, Set<String> names) throws IOException {
        ClassModel model;
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            model = ClassFile.of().parse(in.readAllBytes());
        }
        List<String> found = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (MethodModel method : model.methods()) {
            String name = method.methodName().stringValue();
            if (!names.contains(name)) {
                continue;
            }
            seen.add(name);
            method.code().ifPresent(code -> {
                for (var element : (CodeModel) code) {
                    if (element instanceof InvokeDynamicInstruction indy) {
                        var bootstrap = indy.bootstrapMethod();
                        found.add(name + ": " + bootstrap.owner().packageName() + "." + bootstrap.owner().displayName()
                                + "." + bootstrap.methodName());
                    }
                }
            });
        }
        assertThat(seen).as("methods of " + type.getSimpleName()).containsAll(names);
        return found;
    }
}
