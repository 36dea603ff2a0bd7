package dev.hdbg.agent.server;

import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;

/**
 * A child JVM's main for {@link LauncherOptionsTest}: does what a host's start-up does with the JDK's class-file API
 * (spins classes the AOT cache does not hold, as lambda forms, type switches and annotation proxies are spun), many
 * times over, so that a JVM whose thresholds are the defaults compiles the API's methods with C2.
 */
public final class ClassSpinner {
    static final int CLASSES = 3_000;

    private ClassSpinner() {
    }

    public static void main(String[] args) throws Exception {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (int i = 0; i < CLASSES; i++) {
            int value = i;
            byte[] bytes = ClassFile.of().build(ClassDesc.of(ClassSpinner.class.getPackageName() + ".Spun"), c -> c
                    .withMethodBody("value", MethodTypeDesc.of(ConstantDescs.CD_int),
                            ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code.loadConstant(value).ireturn()));
            lookup.defineHiddenClass(bytes, true);
        }
        System.out.println("spun " + CLASSES);
    }
}
