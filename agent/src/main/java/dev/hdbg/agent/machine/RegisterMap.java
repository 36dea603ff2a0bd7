package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.X86Reg;
import dev.hdbg.common.event.GuestRegister;
import java.util.EnumMap;
import java.util.Map;

/** The Unicorn register behind each register a host can name. */
public final class RegisterMap {
    private static final Map<GuestRegister, X86Reg> MAP = new EnumMap<>(GuestRegister.class);

    static {
        for (GuestRegister r : GuestRegister.values()) {
            MAP.put(r, X86Reg.valueOf(r.name()));
        }
    }

    /** The sixteen general-purpose registers in GUEST_REGS order, as Unicorn registers. */
    public static final X86Reg[] GPRS = GuestRegister.GPRS.stream().map(RegisterMap::toUnicorn).toArray(X86Reg[]::new);

    private RegisterMap() {
    }

    public static X86Reg toUnicorn(GuestRegister register) {
        return MAP.get(register);
    }
}
