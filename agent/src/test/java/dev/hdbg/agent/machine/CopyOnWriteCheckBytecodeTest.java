package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every write of guest memory from a system call (a {@code read} into a buffer, say) first asks whether another process
 * holds the blocks written ({@link GuestMemory}'s copy-on-write check): the check runs no invokedynamic. A program's
 * first few hundred calls run in the interpreter, where a record's own {@code equals} and {@code hashCode}
 * (ObjectMethods' method-handle chains) and a method reference made at each call were 4 % of a call (docs/benchmarks.md,
 * "A system call's first hundreds, stop 44"). Read from the compiled classes with the class-file API.
 */
class CopyOnWriteCheckBytecodeTest {
    @Test
    void aSharedBlockIsLookedUpWithoutAnInvokedynamic() throws IOException {
        assertThat(invokedynamicsIn("SharedBlocks$Block", List.of("equals", "hashCode"))).isEmpty();
    }

    @Test
    void theCheckBeforeAWriteMakesNoMethodReference() throws IOException {
        assertThat(invokedynamicsIn("GuestMemory", List.of("unshareWithin"))).isEmpty();
    }

    @Test
    void theCheckFindsAnInvokedynamic() throws IOException {
        // GuestMemory.copy tells its listeners with a lambda: the check sees one.
        assertThat(invokedynamicsIn("GuestMemory", List.of("copy"))).isNotEmpty();
    }

    /** The bootstrap methods of the invokedynamics in {@code type}'s methods named {@code names}. */
    private static List<String> invokedynamicsIn(String type, List<String> names) throws IOException {
        ClassModel model;
        try (InputStream in = GuestMemory.class.getResourceAsStream(type + ".class")) {
            model = ClassFile.of().parse(in.readAllBytes());
        }
        assertThat(model.methods().stream().map(m -> m.methodName().stringValue())).as("methods of " + type)
                .containsAll(names);
        return model.methods().stream().filter(m -> names.contains(m.methodName().stringValue()))
                .flatMap(m -> m.code().orElseThrow().elementStream())
                .filter(e -> e instanceof InvokeDynamicInstruction)
                .map(e -> ((InvokeDynamicInstruction) e).bootstrapMethod().methodName())
                .toList();
    }
}
