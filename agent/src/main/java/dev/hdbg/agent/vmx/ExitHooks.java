package dev.hdbg.agent.vmx;

import dev.hdbg.agent.unicorn.Hook;
import dev.hdbg.agent.unicorn.Unicorn;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns Unicorn hooks into {@link VmExit}s. An exit costs nothing while it is not armed: an
 * execution hook is a Unicorn code hook on exactly one address (Unicorn only instruments the
 * instructions inside a hook's range), and the CPUID hook exists only while armed.
 *
 * <p>Arming changes Unicorn's hook list, so it happens only at a safe point, outside
 * {@code uc_emu_start}; the caller ({@code ExecutionLoop}) guarantees that.
 */
public final class ExitHooks {
    private final Unicorn guest;
    private final ExitHandler handler;
    private final Map<Long, Hook> executionHooks = new HashMap<>();
    private Hook cpuidHook;

    public ExitHooks(Unicorn guest, ExitHandler handler) {
        this.guest = guest;
        this.handler = handler;
    }

    /** Makes the armed execution addresses exactly {@code addresses}. */
    public void armExecution(Set<Long> addresses) {
        executionHooks.entrySet().removeIf(entry -> {
            if (addresses.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            invalidate(entry.getKey());
            return true;
        });
        for (long address : addresses) {
            if (!executionHooks.containsKey(address)) {
                executionHooks.put(address, guest.hookCode(address, address,
                        (at, size) -> handler.onExit(new VmExit(ExitReason.EPT_HOOK, at))));
                invalidate(address);
            }
        }
    }

    public void armCpuid(boolean armed) {
        if (armed && cpuidHook == null) {
            cpuidHook = guest.hookCpuid(() -> {
                long leaf = guest.regRead(dev.hdbg.agent.unicorn.X86Reg.RAX) & 0xffff_ffffL;
                handler.onExit(new VmExit(ExitReason.CPUID, leaf));
                return false; // the instruction still runs: short-circuiting comes with event options
            });
        } else if (!armed && cpuidHook != null) {
            cpuidHook.close();
            cpuidHook = null;
        }
    }

    public Set<Long> armedAddresses() {
        return Set.copyOf(executionHooks.keySet());
    }

    public boolean cpuidArmed() {
        return cpuidHook != null;
    }

    // A translated block that already contains the address was built without the hook's call
    // (or with it): drop it so the next execution sees the current hook list.
    private void invalidate(long address) {
        guest.removeCache(address, address + 1);
    }
}
