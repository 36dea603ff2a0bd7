package dev.hdbg.agent.script;

import dev.hdbg.common.script.CheckedScript;
import dev.hdbg.common.script.FunctionDecl;
import dev.hdbg.common.script.Pos;
import dev.hdbg.common.script.ScriptError;
import dev.hdbg.common.script.ScriptException;

import java.lang.classfile.ClassFile;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.SourceFileAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

/**
 * Builds the class file of one script: a final class implementing {@link ScriptBody}, whose {@code run} is the
 * script's main part and whose static methods {@code f0, f1 ...} are its functions.
 *
 * <p>Objects the code needs (the globals' array, printf formats, string literals) are the hidden class's class data,
 * loaded with {@code ldc} of a dynamic constant ({@code MethodHandles.classDataAt}): a constant to the JIT, no field
 * read.
 */
final class ScriptClassBuilder {
    static final ClassDesc SELF = ClassDesc.of("dev.hdbg.agent.script.Script");
    static final ClassDesc HOST = ClassDesc.of("dev.hdbg.agent.script.ScriptHost");
    static final ClassDesc RUNTIME = ClassDesc.of("dev.hdbg.agent.script.ScriptRuntime");
    static final ClassDesc BODY = ClassDesc.of("dev.hdbg.agent.script.ScriptBody");
    static final ClassDesc FAULT = ClassDesc.of("dev.hdbg.agent.script.ScriptFault");
    static final ClassDesc GUEST_REGISTER = ClassDesc.of("dev.hdbg.common.event.GuestRegister");
    static final ClassDesc PSEUDO_REGISTER = ClassDesc.of("dev.hdbg.common.script.PseudoRegister");
    static final ClassDesc PRINTF_FORMAT = ClassDesc.of("dev.hdbg.common.script.PrintfFormat");
    static final ClassDesc LONGS = CD_long.arrayType();
    static final ClassDesc BYTES = ConstantDescs.CD_byte.arrayType();
    static final MethodTypeDesc RUN = MethodTypeDesc.of(CD_long, HOST, LONGS);

    /** A compiled function: its method's name and type, and what a call of it costs. */
    record Function(FunctionDecl declaration, String method, MethodTypeDesc type, long cost) {
    }

    private final CheckedScript script;
    private final ScriptGlobals globals;
    private final RunLimits limits;
    private final List<Object> classData = new ArrayList<>();
    private final Map<Object, DynamicConstantDesc<?>> constants = new IdentityHashMap<>();
    private final Map<String, Function> functions = new HashMap<>();
    private final Map<String, Integer> globalSlots = new HashMap<>();
    private final List<Pos> positions = new ArrayList<>();

    ScriptClassBuilder(CheckedScript script, ScriptGlobals globals, RunLimits limits) {
        this.script = script;
        this.globals = globals;
        this.limits = limits;
        classData.add(globals.values());
    }

    /** The class file, and the class data to define it with. */
    byte[] build() throws ScriptException {
        for (String name : script.globals()) {
            int slot = globals.slot(name);
            if (slot < 0) {
                throw new ScriptException(script.source(), new ScriptError(new Pos(0, 1, 1, 1), "the machine"
                        + " already has " + ScriptGlobals.CAPACITY + " global variables; ." + name + " is one more"));
            }
            globalSlots.put(name, slot);
        }
        List<FunctionDecl> declared = script.program().functions();
        for (int i = 0; i < declared.size(); i++) {
            FunctionDecl f = declared.get(i);
            List<ClassDesc> parameters = new ArrayList<>(List.of(HOST, LONGS));
            parameters.addAll(Collections.nCopies(f.parameters().size(), CD_long));
            functions.put(f.name(), new Function(f, "f" + i, MethodTypeDesc.of(CD_long, parameters),
                    Costs.of(f.body())));
        }
        try {
            return ClassFile.of().build(SELF, cb -> {
                cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
                cb.withInterfaceSymbols(BODY);
                cb.with(SourceFileAttribute.of(script.source().name()));
                MethodTypeDesc noArguments = MethodTypeDesc.of(CD_void);
                cb.withMethodBody(ConstantDescs.INIT_NAME, noArguments, ClassFile.ACC_PUBLIC, code -> code
                        .aload(0)
                        .invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, noArguments)
                        .return_());
                cb.withMethodBody("run", RUN, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> {
                    MethodContext m = new MethodContext(code, this, 1, 2, null);
                    m.statements().block(script.program().main());
                    if (script.program().result() != null) {
                        m.expressions().value(script.program().result());
                    } else {
                        code.lconst_0();
                    }
                    code.lreturn();
                });
                for (Function f : functions.values()) {
                    cb.withMethodBody(f.method(), f.type(), ClassFile.ACC_STATIC | ClassFile.ACC_PRIVATE, code -> {
                        int[] slots = new int[f.declaration().variableCount()];
                        int parameters = f.declaration().parameters().size();
                        for (int i = 0; i < slots.length; i++) {
                            if (i < parameters) {
                                slots[i] = 2 + 2 * i;
                            } else {
                                // Zero, as HyperDbg's stack is, and so that the verifier sees every local assigned.
                                slots[i] = code.allocateLocal(TypeKind.LONG);
                                code.lconst_0().lstore(slots[i]);
                            }
                        }
                        MethodContext m = new MethodContext(code, this, 0, 1, slots);
                        m.statements().block(f.declaration().body());
                        code.lconst_0().lreturn();
                    });
                }
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The class file API refuses a method over the JVM's 64 KiB of code; anything else is a bug here.
            throw new ScriptException(script.source(), new ScriptError(new Pos(0, 1, 1, 1),
                    "the script is too large to compile into one JVM method (" + e.getMessage()
                            + "); split it into functions or shorten it"));
        }
    }

    List<Object> classData() {
        return classData;
    }

    /**
     * The number compiled code passes to a helper that may stop the run, for the position of the operation: an index
     * into {@link #positions()}.
     */
    int at(Pos pos) {
        positions.add(pos);
        return positions.size() - 1;
    }

    List<Pos> positions() {
        return positions;
    }

    Function function(String name) {
        return functions.get(name);
    }

    int globalSlot(String name) {
        Integer slot = globalSlots.get(name);
        if (slot == null) {
            throw new IllegalStateException("the checker did not list the global ." + name);
        }
        return slot;
    }

    RunLimits limits() {
        return limits;
    }

    /** The globals' array, as a constant. */
    ConstantDesc globalsArray() {
        return constant(globals.values(), LONGS);
    }

    /** An object of the class data, as a constant of type {@code type}; each object is stored once. */
    ConstantDesc constant(Object value, ClassDesc type) {
        return constants.computeIfAbsent(value, v -> DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, "_",
                type, v == classData.getFirst() ? 0 : add(v)));
    }

    private int add(Object value) {
        classData.add(value);
        return classData.size() - 1;
    }
}
