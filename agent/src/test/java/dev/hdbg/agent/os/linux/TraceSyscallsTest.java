package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ptrace's requests as one process makes them ({@link TraceSyscalls}): PTRACE_TRACEME once, then EPERM, with the
 * tracer in TracerPid; an attach under Linux's rules, and the requests that need a stopped tracee of the caller's
 * refused with ESRCH until it is one. The stops themselves are ProcessProgramsIT's (ptracer.c, compared natively).
 */
class TraceSyscallsTest {
    private static final int PTRACE = 101;
    private static final int PTRACE_PEEKDATA = 2;
    private static final int PTRACE_CONT = 7;
    private static final int PTRACE_ATTACH = 16;
    private static final int PTRACE_SEIZE = 0x4206;

    @TempDir
    Path root;

    @Test
    void tracemeSucceedsOnceAndNamesTheParentAsTracer() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.readFile("/proc/self/status")).contains("TracerPid:\t0\n");
            assertThat(g.rax(PTRACE, TraceSyscalls.PTRACE_TRACEME, 0, 0, 0)).isZero();
            assertThat(g.rax(PTRACE, TraceSyscalls.PTRACE_TRACEME, 0, 0, 0)).as("already traced").isEqualTo(-Errno.EPERM);
            assertThat(g.readFile("/proc/self/status")).contains("TracerPid:\t" + g.rax(110) + "\n"); // getppid
            assertThat(g.spawn(57)).as("fork").isEqualTo(4243);
            assertThat(g.process.scheduler().live(4243).orElseThrow().trace).as("a fork is not traced").isNull();
            assertThat(g.notices).isEmpty();
        }
    }

    @Test
    void aTracerAttachesUnderLinuxsRulesAndItsRequestsWaitForTheStop() {
        try (Guest g = new Guest(root, false)) {
            long child = g.spawn(57);
            assertThat(g.rax(PTRACE, PTRACE_CONT, child, 0, 0)).as("not traced").isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(PTRACE, PTRACE_PEEKDATA, child, 0x400000, 0)).isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(PTRACE, PTRACE_PEEKDATA, 999_999, 0, 0)).as("no such process").isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(PTRACE, PTRACE_ATTACH, 999_999, 0, 0)).isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(PTRACE, PTRACE_ATTACH, g.process.pid(), 0, 0)).as("itself").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(PTRACE, PTRACE_SEIZE, child, 0, 0x4000_0000)).as("no such option")
                    .isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(PTRACE, PTRACE_ATTACH, child, 0, 0)).isZero();
            assertThat(g.rax(PTRACE, PTRACE_ATTACH, child, 0, 0)).as("traced already").isEqualTo(-Errno.EPERM);
            assertThat(g.process.scheduler().live(child).orElseThrow().trace.tracer).isSameAs(g.process);
            assertThat(g.readFile("/proc/" + child + "/status")).contains("TracerPid:\t" + g.process.pid() + "\n");
            // SIGSTOP is pending: the child has not run to take it, so it is no stopped tracee yet
            assertThat(g.rax(PTRACE, PTRACE_PEEKDATA, child, 0x400000, 0)).isEqualTo(-Errno.ESRCH);
            assertThat(g.notices).isEmpty();
        }
    }
}
