package dev.hdbg.agent.script;

import dev.hdbg.common.script.BuiltinFunction;
import dev.hdbg.common.script.Expr;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.List;

import static dev.hdbg.agent.script.ScriptClassBuilder.BYTES;
import static dev.hdbg.agent.script.ScriptClassBuilder.HOST;
import static dev.hdbg.agent.script.ScriptClassBuilder.LONGS;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

/**
 * Emits calls of the built-in functions: memory reads inline through {@link ScriptRuntime#read}, the host's own
 * operations as interface calls, the rest as calls of {@link ScriptRuntime} helpers.
 */
final class BuiltinEmitter {
    private static MethodTypeDesc type(ClassDesc result, ClassDesc... parameters) {
        return MethodTypeDesc.of(result, parameters);
    }

    private static final MethodTypeDesc EDIT = type(CD_long, HOST, CD_long, CD_long, CD_int);
    private static final MethodTypeDesc HOST_TO_LONG = type(CD_long, HOST, CD_long);
    private static final MethodTypeDesc LENGTH = type(CD_long, HOST, CD_long, CD_int);
    private static final MethodTypeDesc MEMCPY = type(CD_void, HOST, LONGS, CD_long, CD_long, CD_long, CD_int);
    private static final MethodTypeDesc STRING_LENGTH = type(CD_long, HOST, LONGS, BYTES, CD_long, CD_int, CD_int);
    private static final MethodTypeDesc COMPARE = type(CD_long, HOST, LONGS, BYTES, CD_long, BYTES, CD_long, CD_long,
            CD_int, CD_boolean, CD_int);
    private static final MethodTypeDesc PRINTF = type(CD_void, HOST, LONGS, ScriptClassBuilder.PRINTF_FORMAT, LONGS,
            CD_int);
    private static final MethodTypeDesc PRINT = type(CD_void, HOST, CD_long);
    private static final MethodTypeDesc SLEEP = type(CD_void, HOST, LONGS, CD_long, CD_int);

    private final MethodContext m;
    private final CodeBuilder code;
    private final ExpressionEmitter ex;

    BuiltinEmitter(MethodContext m, ExpressionEmitter ex) {
        this.m = m;
        this.code = m.code;
        this.ex = ex;
    }

    /** Emits a call; true when it leaves a value on the stack. */
    boolean call(Expr.Call c) {
        List<Expr> a = c.args();
        int at = m.owner.at(c.pos());
        switch (c.function()) {
            case PRINTF -> throw new IllegalStateException("the checker leaves no printf as a plain call");
            case POI, POI_PA, DQ, DQ_PA -> ex.read(a.get(0), 8, c.pos());
            case DD, DD_PA -> ex.read(a.get(0), 4, c.pos());
            case DW, DW_PA -> ex.read(a.get(0), 2, c.pos());
            case DB, DB_PA -> ex.read(a.get(0), 1, c.pos());
            case HI, HI_PA -> {
                ex.read(a.get(0), 8, c.pos());
                code.loadConstant(16).lushr().loadConstant(0xffffL).land();
            }
            case LOW, LOW_PA -> {
                ex.read(a.get(0), 8, c.pos());
                code.loadConstant(0xffffL).land();
            }
            case NOT -> {
                ex.value(a.get(0));
                code.loadConstant(-1L).lxor();
            }
            case NEG -> {
                ex.value(a.get(0));
                code.lneg();
            }
            case EB, EB_PA -> edit(a, 1);
            case ED, ED_PA -> edit(a, 4);
            case EQ, EQ_PA -> edit(a, 8);
            case MEMCPY, MEMCPY_PA -> {
                hostAndLocals();
                ex.value(a.get(0));
                ex.value(a.get(1));
                ex.value(a.get(2));
                code.loadConstant(at);
                m.runtime("memcpy", MEMCPY);
                return false;
            }
            case MEMCMP -> compare(a.get(0), a.get(1), a.get(2), 1, false, at);
            case STRCMP -> compare(a.get(0), a.get(1), null, 1, true, at);
            case STRNCMP -> compare(a.get(0), a.get(1), a.get(2), 1, true, at);
            case WCSCMP -> compare(a.get(0), a.get(1), null, 2, true, at);
            case WCSNCMP -> compare(a.get(0), a.get(1), a.get(2), 2, true, at);
            case STRLEN, WCSLEN -> {
                hostAndLocals();
                string(a.get(0));
                code.loadConstant(c.function() == BuiltinFunction.STRLEN ? 1 : 2).loadConstant(at);
                m.runtime("length", STRING_LENGTH);
            }
            case CHECK_ADDRESS -> hostCall("checkAddress", a.get(0));
            case VIRTUAL_TO_PHYSICAL, PHYSICAL_TO_VIRTUAL -> hostCall("translate", a.get(0));
            case DISASSEMBLE_LEN, DISASSEMBLE_LEN64, DISASSEMBLE_LEN32 -> {
                m.loadHost();
                ex.value(a.get(0));
                code.loadConstant(c.function() == BuiltinFunction.DISASSEMBLE_LEN32 ? 32 : 64);
                m.runtime("instructionLength", LENGTH);
            }
            case EVENT_ENABLE -> hostVoid("eventEnable", a.get(0));
            case EVENT_DISABLE -> hostVoid("eventDisable", a.get(0));
            case EVENT_CLEAR -> hostVoid("eventClear", a.get(0));
            case EVENT_SC -> {
                m.loadHost();
                ex.value(a.get(0));
                m.runtime("shortCircuit", PRINT);
                return false;
            }
            case PAUSE -> {
                m.loadHost();
                code.invokeinterface(HOST, "pause", type(CD_void));
                return false;
            }
            case FLUSH -> {
                m.loadHost();
                code.invokeinterface(HOST, "flush", type(CD_void));
                return false;
            }
            case RDTSC, RDTSCP -> {
                m.loadHost();
                code.invokeinterface(HOST, c.function() == BuiltinFunction.RDTSC ? "rdtsc" : "rdtscp",
                        type(CD_long));
            }
            case MICROSLEEP -> {
                hostAndLocals();
                ex.value(a.get(0));
                code.loadConstant(at);
                m.runtime("microsleep", SLEEP);
                return false;
            }
            case PRINT -> {
                m.loadHost();
                ex.value(a.get(0));
                m.runtime("print", PRINT);
                return false;
            }
            case INTERLOCKED_INCREMENT -> atomic(a, "increment", "memoryIncrement", at);
            case INTERLOCKED_DECREMENT -> atomic(a, "decrement", "memoryDecrement", at);
            case INTERLOCKED_EXCHANGE -> atomic(a, "exchange", "memoryExchange", at);
            case INTERLOCKED_EXCHANGE_ADD -> atomic(a, "exchangeAdd", "memoryAdd", at);
            case INTERLOCKED_COMPARE_EXCHANGE -> atomic(a, "compareExchange", "memoryCompareExchange", at);
            case SPINLOCK_LOCK -> spinlockLock(a.get(0), null, at);
            case SPINLOCK_LOCK_CUSTOM_WAIT -> spinlockLock(a.get(0), a.get(1), at);
            case SPINLOCK_UNLOCK -> {
                if (variable(a.get(0))) {
                    m.runtime("spinlockUnlock", type(CD_void, LONGS, CD_int));
                } else {
                    code.loadConstant(at);
                    m.runtime("memorySpinlockUnlock", type(CD_void, HOST, CD_long, CD_int));
                }
                return false;
            }
        }
        return c.function().returnsValue();
    }

    /** {@code printf}: the arguments in a fresh array, the format a constant. */
    void printf(Expr.Printf p) {
        hostAndLocals();
        code.ldc(m.owner.constant(p.format(), ScriptClassBuilder.PRINTF_FORMAT));
        code.loadConstant(p.args().size()).newarray(TypeKind.LONG);
        for (int i = 0; i < p.args().size(); i++) {
            code.dup().loadConstant(i);
            ex.value(p.args().get(i));
            code.lastore();
        }
        code.loadConstant(m.owner.at(p.pos()));
        m.runtime("printf", PRINTF);
    }

    private void edit(List<Expr> a, int size) {
        m.loadHost();
        ex.value(a.get(0));
        ex.value(a.get(1));
        code.loadConstant(size);
        m.runtime("edit", EDIT);
    }

    private void hostCall(String helper, Expr arg) {
        m.loadHost();
        ex.value(arg);
        m.runtime(helper, HOST_TO_LONG);
    }

    private void hostVoid(String method, Expr arg) {
        m.loadHost();
        ex.value(arg);
        code.invokeinterface(HOST, method, type(CD_void, CD_long));
    }

    private void hostAndLocals() {
        m.loadHost();
        m.loadLocals();
    }

    /** Pushes a string argument as (literal bytes or null, address or 0). */
    private void string(Expr e) {
        if (e instanceof Expr.StringLiteral s) {
            code.ldc(m.owner.constant(s.bytes(), BYTES)).lconst_0();
        } else {
            code.aconst_null();
            ex.value(e);
        }
    }

    private void compare(Expr first, Expr second, Expr limit, int unit, boolean stopAtNul, int at) {
        hostAndLocals();
        string(first);
        string(second);
        if (limit == null) {
            code.loadConstant(-1L);
        } else {
            ex.value(limit);
        }
        code.loadConstant(unit).loadConstant(stopAtNul ? 1 : 0).loadConstant(at);
        m.runtime("compare", COMPARE);
    }

    /**
     * Pushes a reference argument: a global's or a main-part local's array and slot (and returns true), or the host
     * and the address in memory (and returns false).
     */
    private boolean variable(Expr target) {
        if (target instanceof Expr.AddressOf ref) {
            switch (ref.variable()) {
                case Expr.Global g -> code.ldc(m.owner.globalsArray()).loadConstant(m.owner.globalSlot(g.name()));
                case Expr.Local l -> {
                    m.loadLocals();
                    code.loadConstant(ScriptRuntime.FIRST_LOCAL + l.slot());
                }
                default -> throw new IllegalStateException("the checker let through &" + ref.variable());
            }
            return true;
        }
        m.loadHost();
        ex.value(target);
        return false;
    }

    /** An interlocked function: the variable's helper works on its array slot, the memory one through the host. */
    private void atomic(List<Expr> a, String onVariable, String onMemory, int at) {
        boolean isVariable = variable(a.get(0));
        for (Expr value : a.subList(1, a.size())) {
            ex.value(value);
        }
        ClassDesc[] values = new ClassDesc[a.size() - 1];
        java.util.Arrays.fill(values, CD_long);
        if (isVariable) {
            m.runtime(onVariable, type(CD_long, concat(List.of(LONGS, CD_int), values)));
        } else {
            code.loadConstant(at);
            List<ClassDesc> head = List.of(HOST, CD_long);
            ClassDesc[] all = concat(head, values);
            ClassDesc[] withAt = java.util.Arrays.copyOf(all, all.length + 1);
            withAt[all.length] = CD_int;
            m.runtime(onMemory, type(CD_long, withAt));
        }
    }

    private void spinlockLock(Expr target, Expr maxWait, int at) {
        boolean isVariable = variable(target);
        if (maxWait == null) {
            code.loadConstant(ScriptRuntime.SPINLOCK_MAX_WAIT);
        } else {
            ex.value(maxWait);
        }
        m.loadLocals();
        code.loadConstant(at);
        if (isVariable) {
            m.runtime("spinlockLock", type(CD_void, LONGS, CD_int, CD_long, LONGS, CD_int));
        } else {
            m.runtime("memorySpinlockLock", type(CD_void, HOST, CD_long, CD_long, LONGS, CD_int));
        }
    }

    private static ClassDesc[] concat(List<ClassDesc> head, ClassDesc[] tail) {
        ClassDesc[] all = head.toArray(new ClassDesc[head.size() + tail.length]);
        System.arraycopy(tail, 0, all, head.size(), tail.length);
        return all;
    }
}
