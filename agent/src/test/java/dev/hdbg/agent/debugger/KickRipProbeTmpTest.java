package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.MachineCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.hdbg.common.record.DebuggerRecord;
import org.junit.jupiter.api.Test;

class KickRipProbeTmpTest {
    @Test
    void probe() throws Exception {
        try (Machine machine = new Machine()) {
            var info = new Target.Raw(java.nio.file.Path.of("/tmp/probe/two.bin"), 0x400000L, 0x400000L).loadInto(machine);
            RecordQueue queue = new RecordQueue(1024, 1, Duration.ofMillis(1));
            Debugger debugger = new Debugger(machine, Limits.DEFAULT, queue);
            List<DebuggerRecord> delivered = new CopyOnWriteArrayList<>();
            queue.attach(delivered::addAll);
            try {
                debugger.setTarget(info);
                
                debugger.addBreakpoint(0x400055L, null).get();
                for (int i = 0; i < 20; i++) {
                    debugger.cont().get();
                    Thread.sleep(20);
                    debugger.pause().get();
                    Thread.sleep(20);
                    var regs = debugger.readRegisters(List.of(GuestRegister.RIP, GuestRegister.RAX, GuestRegister.RCX)).get();
                    System.err.println("PROBE rip=" + Long.toHexString(regs.get(GuestRegister.RIP)) + " rax=" + regs.get(GuestRegister.RAX) + " rcx+rax=" + (regs.get(GuestRegister.RCX) + regs.get(GuestRegister.RAX)));
                }
            } finally {
                debugger.close();
                queue.close();
            }
        }
    }
}
