package dev.hdbg.agent.vmx;

/** The x86 exception vectors by the names the SDM gives them, for the messages of faults nothing handled. */
final class ExceptionVectors {
    private ExceptionVectors() {
    }

    /** {@code "#PF page fault"} for 14; {@code "vector N"} for one without a name here. */
    static String name(int vector) {
        return switch (vector) {
            case 0 -> "#DE divide error";
            case 1 -> "#DB debug";
            case 3 -> "#BP breakpoint";
            case 4 -> "#OF overflow";
            case 5 -> "#BR bound range";
            case 6 -> "#UD invalid opcode";
            case 8 -> "#DF double fault";
            case 13 -> "#GP general protection";
            case 14 -> "#PF page fault";
            case 16 -> "#MF x87 error";
            case 17 -> "#AC alignment check";
            case 19 -> "#XM SIMD error";
            default -> "vector " + vector;
        };
    }
}
