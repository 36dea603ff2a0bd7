package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import org.junit.jupiter.api.Test;

/**
 * gdb's points are looked up at every resume: they compare as values, in plain code rather than a record's
 * method-handle chains (ObjectMethods), which ran slowly through a fresh bridge's stepi until C2 compiled them.
 */
class TargetPointTest {
    @Test
    void pointsAreEqualByKindAddressAndLength() {
        var a = new TargetPoints.Point(TargetPoints.Kind.SOFTWARE, 0x401000, 1);
        assertThat(a).isEqualTo(new TargetPoints.Point(TargetPoints.Kind.SOFTWARE, 0x401000, 1))
                .hasSameHashCodeAs(new TargetPoints.Point(TargetPoints.Kind.SOFTWARE, 0x401000, 1))
                .isNotEqualTo(new TargetPoints.Point(TargetPoints.Kind.HARDWARE, 0x401000, 1))
                .isNotEqualTo(new TargetPoints.Point(TargetPoints.Kind.SOFTWARE, 0x401001, 1))
                .isNotEqualTo(new TargetPoints.Point(TargetPoints.Kind.SOFTWARE, 0x401000, 2))
                .isNotEqualTo(null);
        var conditional = new TargetPoints.Point(TargetPoints.Kind.SOFTWARE, 0x401000, 1, "(@rdi == 0x6)");
        assertThat(conditional).as("gdb's condition is part of it").isNotEqualTo(a);
        assertThat(conditional.samePlace(a)).as("but not of where it is (z names none)").isTrue();
        assertThat(conditional.asEvent()).as("the agent evaluates it in an event").isTrue();
        assertThat(a.asEvent()).isFalse();
    }

    @Test
    void aPointIsComparedWithoutAnInvokeDynamic() throws IOException {
        try (InputStream in = TargetPoints.Point.class.getResourceAsStream("TargetPoints$Point.class")) {
            var model = ClassFile.of().parse(in.readAllBytes());
            assertThat(model.methods().stream().filter(m -> m.methodName().equalsString("equals")
                    || m.methodName().equalsString("hashCode")).flatMap(m -> m.code().orElseThrow().elementStream())
                    .filter(e -> e instanceof InvokeDynamicInstruction)).isEmpty();
        }
    }
}
