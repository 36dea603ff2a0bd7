package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process groups and sessions decide what {@code kill(0)}, {@code kill(-pgid)} and {@code wait4(0)} reach:
 * coreutils' {@code timeout 1 sleep 5} moved itself to a group of its own and signalled that group, and the signal
 * killed the shell that ran it too (every process was in one group).
 */
class JobControlSyscallsTest {
    private static final int WNOHANG = 1;
    private static final int SIGKILL = 9;
    private static final long PARENT = 4242;
    private static final long CHILD = 4243;
    private static final long SYSCALL_AT = 0x400100;

    @TempDir
    Path root;

    @Test
    void theProgramStartedLeadsItsOwnGroupInTheSessionOfWhoeverStartedIt() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(121, 0)).as("getpgid").isEqualTo(PARENT);
            assertThat(g.rax(111)).as("getpgrp").isEqualTo(PARENT);
            assertThat(g.rax(124, 0)).as("getsid: not its own session").isEqualTo(1);
            assertThat(g.rax(109, 0, 0)).as("setpgid(0, 0): already its group").isZero();
            assertThat(g.rax(112)).as("setsid of a group's leader").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(121, 9999)).isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(109, 0, -1)).isEqualTo(-Errno.EINVAL);
        }
    }

    @Test
    void aSignalToAChildsNewGroupReachesTheChildAloneAndWaitsSelectByGroup() {
        try (Guest g = new Guest(root, false)) {
            long status = g.buffer(8);
            assertThat(g.spawn(57)).as("fork").isEqualTo(CHILD);
            assertThat(g.rax(121, CHILD)).as("a child starts in its parent's group").isEqualTo(PARENT);
            assertThat(g.rax(109, CHILD, 777)).as("no group 777 to join").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(109, 9999, 0)).as("not a child").isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(109, CHILD, 0)).as("the child leads a new group").isZero();
            assertThat(g.rax(121, CHILD)).isEqualTo(CHILD);
            assertThat(g.rax(121, 0)).as("the parent stays where it was").isEqualTo(PARENT);

            assertThat(g.rax(61, 0, status, WNOHANG, 0)).as("wait4(0): no child in the caller's group")
                    .isEqualTo(-Errno.ECHILD);
            assertThat(g.rax(61, -CHILD, status, WNOHANG, 0)).as("wait4(-pgid): the child, still running").isZero();
            assertThat(g.rax(62, -777, 15)).as("kill of an empty group").isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(62, -CHILD, SIGKILL)).as("kill(-pgid)").isZero();
            assertThat(g.rax(62, 0, 0)).as("kill(0, 0): the caller's group has the caller").isZero();

            g.machine.unicorn().regWrite(X86Reg.RIP, SYSCALL_AT);
            assertThat(g.call(61, -CHILD, status, 0, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the parent, alive, makes its wait4 again").isEqualTo(PARENT);
            assertThat(g.rax(61, -CHILD, status, 0, 0)).isEqualTo(CHILD);
            assertThat(g.read(status, 4).getInt(0)).as("WTERMSIG 9").isEqualTo(SIGKILL);
            assertThat(g.rax(62, -CHILD, 0)).as("the group is gone with its last process").isEqualTo(-Errno.ESRCH);
        }
    }

    @Test
    void aChildThatStartsASessionLeavesItsParentsReach() {
        try (Guest g = new Guest(root, false)) {
            long status = g.buffer(8);
            assertThat(g.spawn(57)).isEqualTo(CHILD);
            g.machine.unicorn().regWrite(X86Reg.RIP, SYSCALL_AT);
            assertThat(g.call(61, -1, status, 0, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the child runs").isEqualTo(CHILD);

            assertThat(g.rax(112)).as("setsid").isEqualTo(CHILD);
            assertThat(g.rax(124, 0)).isEqualTo(CHILD);
            assertThat(g.rax(121, 0)).isEqualTo(CHILD);
            assertThat(g.rax(109, 0, PARENT)).as("a session's leader stays in its group").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(112)).as("setsid again: it leads a group now").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(124, PARENT)).as("getsid of another process").isEqualTo(1);
            assertThat(g.call(231, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).isEqualTo(PARENT);
            assertThat(g.rax(109, CHILD, 0)).as("a child in another session").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(61, -1, status, 0, 0)).isEqualTo(CHILD);
        }
    }
}
