package dev.hdbg.agent.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.SourceText;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hot script condition of bench/run.sh row 6, {@code if (@rdi == 0x12345) { pause(); }}, compiles to the least a
 * trigger can do: one register read through the host, a compare, and the call of {@code pause()} on its branch; no
 * budget charge (straight-line code cannot run away), no boxing, no invokedynamic (docs/benchmarks.md, "Script hits,
 * wave 6"). Read from the class file the compiler builds, with the class-file API.
 */
class HotConditionBytecodeTest {
    @Test
    void aFalseRegisterConditionCallsOnlyReadRegisterAndPause() throws Exception {
        byte[] bytes = new ScriptClassBuilder(ScriptChecker.check(new SourceText("script",
                "if (@rdi == 0x12345) { pause(); }"), ScriptEnvironment.DEFAULT), new ScriptGlobals(), RunLimits.DEFAULT)
                .build();
        MethodModel run = ClassFile.of().parse(bytes).methods().stream()
                .filter(m -> m.methodName().equalsString("run")).findFirst().orElseThrow();
        List<String> calls = new ArrayList<>();
        for (var element : (CodeModel) run.code().orElseThrow()) {
            if (element instanceof InvokeInstruction call) {
                calls.add(call.owner().asSymbol().displayName() + "." + call.name().stringValue());
            } else if (element instanceof InvokeDynamicInstruction indy) {
                calls.add("invokedynamic " + indy.name().stringValue());
            }
        }
        assertThat(calls).containsExactly("ScriptHost.readRegister", "ScriptHost.pause");
    }

    @Test
    void aLoopIsChargedAgainstTheBudget() throws Exception {
        // The check above would pass for a compiler that never charged anything: a loop must call the runtime.
        byte[] bytes = new ScriptClassBuilder(ScriptChecker.check(new SourceText("script",
                "i = 0; while (i < @rdi) { i = i + 1; }"), ScriptEnvironment.DEFAULT), new ScriptGlobals(),
                RunLimits.DEFAULT).build();
        MethodModel run = ClassFile.of().parse(bytes).methods().stream()
                .filter(m -> m.methodName().equalsString("run")).findFirst().orElseThrow();
        List<String> owners = new ArrayList<>();
        for (var element : (CodeModel) run.code().orElseThrow()) {
            if (element instanceof InvokeInstruction call) {
                owners.add(call.owner().asSymbol().displayName());
            }
        }
        assertThat(owners).contains("ScriptRuntime");
    }
}
