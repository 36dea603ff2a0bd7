package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Programs of several processes (issue 13) run natively and under the agent: stdout, stderr and the exit status must
 * be equal byte for byte, with nothing the agent had to say. A gcc program that forks, waits, pipes, execs and returns
 * its child's status (linked statically and dynamically, run with {@code --root /}); busybox's shell running
 * pipelines. Then what the agent bounds where a native run would hang or exhaust the machine: a fork bomb, and
 * processes waiting for each other. The sources are in {@code src/test/resources/elf}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProcessProgramsIT {
    private static final Path ROOT = Path.of("/");
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    static Path dir;

    @BeforeAll
    static void compileThePrograms() throws Exception {
        GuestPrograms.compile(GuestPrograms.source(dir, "vforkorphan.c"), dir.resolve("vforkorphan"), "-static", "-O1",
                "-pthread");
        GuestPrograms.compile(GuestPrograms.source(dir, "threads.c"), dir.resolve("threads"), "-O1", "-pthread");
        for (String name : List.of("forkexec", "limits", "forkpatch", "sharedmem", "spawn", "shmfile", "fdpass",
                "memfd", "memfdseal", "msgpair", "pollhup", "dgram", "sockflags", "caps", "inet", "socktimeo",
                "mmsg", "waitmask", "inotify", "sigfd", "pty", "prctl", "jobstop", "traceme", "ttystop",
                "ptracer", "ptraceevents")) {
            Path source = GuestPrograms.source(dir, name + ".c");
            GuestPrograms.compile(source, dir.resolve(name + "-static"), "-static", "-O1");
            GuestPrograms.compile(source, dir.resolve(name + "-dynamic"), "-pie", "-O1");
        }
        GuestPrograms.compile(dir.resolve("ptracer.c"), dir.resolve("ptracer-debug"), "-static", "-O0", "-g");
    }

    private static ProgramRun agentRun(Path program, String... args) throws Exception {
        return agentRun(List.of(), program, args);
    }

    /** {@code program args} under the agent, with its {@code options} beside {@code --cwd}. */
    private static ProgramRun agentRun(List<String> options, Path program, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--cwd", dir.toString()));
        all.addAll(options);
        return ProgramRun.underAgent(all, ROOT, Optional.empty(), program, args);
    }

    /** Runs the compiled {@code name} natively and under the agent: the same output and status, no notice. */
    private static ProgramRun sameAsNatively(String name) throws Exception {
        return sameAsNatively(name, List.of());
    }

    /** {@link #sameAsNatively(String)}, with the agent's {@code options} beside {@code --cwd}. */
    private static ProgramRun sameAsNatively(String name, List<String> options) throws Exception {
        Path program = dir.resolve(name);
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), program);
        ProgramRun actual = agentRun(options, program);
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
        return actual;
    }

    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void aProgramThatForksPipesExecsAndWaitsPrintsWhatItPrintsNativelyAndReturnsItsChildsStatus(String linking)
            throws Exception {
        ProgramRun actual = sameAsNatively("forkexec-" + linking);
        assertThat(actual.status()).as("the exec'd child's status").isEqualTo(5);
        assertThat(actual.out()).contains("SIGCHLD handled 1 time(s)", "the O_CLOEXEC fd is closed, the other open");
    }

    /**
     * A fork shares the parent's code and read-only data with the child until one of them writes there: a child that
     * makes them writable and patches them runs its patch, and the parent and a later child still run the originals.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void aChildsPatchOfItsCodeAndConstantsStaysItsOwn(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("forkpatch-" + linking);
        assertThat(actual.out()).contains("patched child: answer 2, greeting bye!!",
                "parent after: answer 1, greeting hello", "second child: answer 1, greeting hello");
    }

    /**
     * MAP_SHARED | MAP_ANONYMOUS memory is one across fork: a counter both processes add to, a string the child writes,
     * and process-shared semaphores through which each waits for the other (before stop 39 the child's copy was its
     * own, and the parent waited for ever: a deadlock).
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void sharedMemoryAndProcessSharedSemaphoresWorkAcrossFork(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("sharedmem-" + linking);
        assertThat(actual.out()).isEqualTo("counter 111, own 1, text 'from the child'\n");
    }

    /**
     * POSIX shared memory and a named semaphore (files in the program's own /dev/shm, mapped shared): the child maps
     * the memory again by name, at another address, and its sem_post on a semaphore in the file wakes the parent
     * waiting through its own mapping (without the file's word as the futex key: a deadlock); the mapping's writes
     * reach the file (pread), fstat answers after the unlink. Before stop 40 /dev/shm did not exist and a writable
     * shared mapping of a file was refused (ENODEV).
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void posixSharedMemoryAndNamedSemaphoresWorkAcrossProcessesAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("shmfile-" + linking);
        assertThat(actual.out()).startsWith("the child posted through a mapping at another address: yes\n"
                + "parent reads: child read 'from the parent' (child status 0)\n"
                + "pread of the file: from the parent\n"
                + "after the unlink: size 8192, links 0, regular 1\n");
    }

    /**
     * Descriptor passing (sendmsg and recvmsg with SCM_RIGHTS) from a parent to its child over a socket pair: a pipe's
     * read end arrives and reads what the parent writes; too little room truncates (MSG_CTRUNC); a recvmsg reads on
     * through bytes without descriptors and ends with the first message that has some; a plain read drops them. Before
     * stop 40 both calls were ENOSYS.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void descriptorsPassedOverASocketArriveAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("fdpass-" + linking);
        assertThat(actual.out()).contains("through the passed pipe: hello\n",
                "second: 1 byte(s) 'y', 1 descriptor(s), truncated\n", "third: 4 byte(s) 'abcd', 1 descriptor(s)\n");
    }

    /**
     * memfd_create's anonymous file: written through its descriptor and a shared mapping, sized, named
     * {@code /memfd:NAME (deleted)}, close-on-exec when asked, shared with a forked child; unknown flags refused; a
     * copy of the program written into one and run from there with fexecve and by execve of
     * /proc/self/fd/N. Before stop 46 memfd_create was ENOSYS and fexecve ENOENT.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void anAnonymousMemoryFileIsReadWrittenMappedAndSharedAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("memfd-" + linking);
        assertThat(actual.out()).contains("its name: /memfd:hdbg-test (deleted)\n",
                "after the child: Hello world! (mapping: Hello world!)\n",
                "from memory: argv memfd-copy from-memory, exe /memfd:copy (deleted), execfn /dev/fd/6\n",
                "the copy run from memory exited with 3\n",
                "from memory: argv memfd-copy from-memory, exe /memfd:copy (deleted), execfn /proc/self/fd/7\n",
                "the copy run by its /proc path exited with 3\n");
    }

    /**
     * A memfd's seals and its reopening through /proc/self/fd/N: each seal's refusals (writes, a write stopped at the
     * last page within a grow-sealed file, cuts, growth, new writable shared mappings, a read-only shared mapping
     * made writable by mprotect, exec bits), F_SEAL_WRITE waiting
     * for the last writable mapping, F_SEAL_FUTURE_WRITE leaving it, a read-only reopen with its own offset and the
     * file's seals, MFD_NOEXEC_SEAL, and an unlinked /dev/shm file reopened. Before stop 47 MFD_ALLOW_SEALING was
     * EINVAL, the seal commands EINVAL, and a nameless file's magic link ENOENT.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void aMemfdsSealsAndItsReopeningBehaveAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("memfdseal-" + linking);
        assertThat(actual.out()).contains("pwrite across the end (the page before it): 2\n",
                "seal writes while mapped shared: -1 (EBUSY)\n", "seal writes once unmapped: 0\n",
                "shared writable mapping: EPERM\n", "made writable by mprotect: -1 (EACCES)\n",
                "that mapping made writable by mprotect: -1 (EACCES)\n", "written through the mapping: still writable\n",
                "read: still\n", "write through it: -1 (EBADF)\n", "its seals: 16\n",
                "fexecve of the noexec memfd: EACCES\n", "its seals (W^X: writes and length sealed too): 62\n",
                "fchown to its own owner: 0\n", "futimens: 0\n", "its link ends with (deleted): 1\n",
                "read: kept\n", "links 0, size 4\n");
    }

    /**
     * socketpair's SOCK_DGRAM and SOCK_SEQPACKET sockets: a message a send (an empty one too, writev's vectors as one),
     * a receive taking one message whole and dropping the rest (MSG_TRUNC), FIONREAD, EMSGSIZE, a reader blocked
     * across processes, shutdown each way, a closed peer (ECONNREFUSED then ENOTCONN for a datagram socket, end of
     * file, POLLHUP and EPIPE for a seqpacket one), and a file passed with a message; then a seqpacket server, whose
     * accepted connection keeps the client's messages apart. Before stop 51 socketpair refused both types
     * (EOPNOTSUPP) and listen refused a seqpacket socket.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void socketpairsMessageSocketsKeepTheirBoundariesAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("msgpair-" + linking);
        assertThat(actual.out()).contains("== SOCK_SEQPACKET\nSO_TYPE: 5\n",
                "read 64: 0 ''\nread 3 of world!: 3 'wor'\n",
                "msg_flags MSG_TRUNC: 1, got '0123'\n", "readv: 'abcd' 'ef'\n", "write 300000: -1 (EMSGSIZE)\n",
                "child's blocking read: 4 'wake'\n", "send after the peer closed: -1 (ECONNREFUSED)\n",
                "send again: -1 (ENOTCONN)\n", "poll after the peer closed: 0x15\n",
                "got a file: 1, truncated: 1, 'with'\n", "accepted, SO_TYPE 5\n", "read the empty one: 0 ''\n",
                "read after the client closed: 0 ''\n");
    }

    /**
     * Named datagram sockets (stop 51; before, they were made and named but reached no one): sendto a name, the
     * sender's name in recvfrom, connect's one peer and its EPERM for others, the queue of a socket not connected back,
     * a receiver blocked across processes, a name the machine chooses (autobind), and a receiver that closed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void namedDatagramSocketsSendToEachOtherAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("dgram-" + linking);
        assertThat(actual.out()).contains("the server receives: 2 'hi' from no one named (address length 0)\n",
                "the server receives: 5 'hello' from client\n", "the client receives: 4 'back' from server\n",
                "a third socket sends to the connected client: -1 (EPERM)\n", "the child's blocking recv: 4 'wake'\n",
                "send after the server closed: -1 (ECONNREFUSED)\n", "send again: -1 (ENOTCONN)\n",
                "the chosen name: 6 bytes, abstract 1\n", "the server gets 4 bytes from that name: 1\n");
    }

    /**
     * send's and recv's flags as Linux's Unix sockets take them (stop 51; before, all but three were EOPNOTSUPP):
     * MSG_MORE and the like taken, MSG_OOB refused, MSG_WAITALL waiting for a stream's whole buffer or its end; and
     * the peer SO_PEERCRED names (stop 51; before, always the caller).
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void socketFlagsAreTakenAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("sockflags-" + linking);
        assertThat(actual.out()).contains("stream send MSG_MORE: 4\n", "dgram send MSG_OOB: -1 (EOPNOTSUPP)\n",
                "stream recv 2 with MSG_OOB: -1 (EINVAL)\n", "stream recv 4 with MSG_WAITALL, written in two: 4\n",
                "then 4 with MSG_WAITALL, one byte before the end: 1\n",
                "socketpair's peer, in the child: its creator 1\n",
                "the client's peer is the server: 1\n", "the server's peer is the client: 1\n",
                "an unconnected socket's: 0, pid 0, uid -1, gid -1\n");
    }

    /**
     * TCP and UDP over the machine's loopback, IPv4 and IPv6 (stop 52; before, socket(AF_INET) was EAFNOSUPPORT):
     * bind and the ports the machine chooses, SO_REUSEADDR, listen, blocking and non-blocking connect, a refused one,
     * accept's and getpeername's addresses, TCP's resets, dual-stack and v6-only listeners, and UDP's senders,
     * connected sockets, truncated datagrams and the refusal a send to nobody draws.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void tcpAndUdpOverTheLoopbackAnswerAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("inet-" + linking);
        assertThat(actual.out()).contains("client's peer port equals listener's: 1\n", "server read: 4 'ping'\n",
                "listen on the second, bound to the same port: -1 (EADDRINUSE)\n",
                "non-blocking connect: -1 (EINPROGRESS)\n", "connect again: 0\n",
                "server read after the client closed with data unread: -1 (ECONNRESET)\n",
                "accept's address: family 10, address ::ffff:127.0.0.1, port nonzero, length 28\n",
                "AF_INET connect to 127.0.0.1 at the v6-only listener's port: -1 (ECONNREFUSED)\n",
                "its sender's port equals C's: 1\n", "next send: -1 (ECONNREFUSED)\n");
    }

    /**
     * SO_RCVTIMEO and SO_SNDTIMEO (stop 52; before, they were taken and did nothing, so a receive that natively gives
     * up waited for ever): the values read back in Linux's jiffies, calls that give up with EAGAIN after their timeout
     * (the guest's clock jumping there), data before it, and a signal's EINTR even under SA_RESTART.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void socketTimeoutsEndWaitsAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("socktimeo-" + linking);
        assertThat(actual.out()).contains("SO_RCVTIMEO 0.000001: 0, reads 0.004000 (16 bytes)\n",
                "recv, nothing sent: -1 (EAGAIN)\n", "accept, no one connects: -1 (EAGAIN)\n",
                "send on a full socket: -1 (EAGAIN)\n", "recv with a timeout, a signal under SA_RESTART: -1 (EINTR)\n")
                .doesNotContain("waited the timeout: 0");
    }

    /**
     * ppoll's, pselect6's and epoll_pwait's signal masks (stop 53; before, they were not applied, and GNU make -j2
     * deadlocked: its jobserver waits in pselect with SIGCHLD let through by the call's mask alone). A signal let through
     * ends the wait and runs its handler, the caller's mask back after; ready descriptors win; a timer's signal blocked
     * by the mask waits for the call's return.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void waitsWithTheirOwnSignalMaskAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("waitmask-" + linking);
        assertThat(actual.out()).contains("ppoll, nothing ready, SIGUSR1 pending and let through: -1 (EINTR)\n"
                + "  handled 1, blocked 1, pending 0\n", "epoll_pwait, timeout 0: 0\n",
                "ppoll, the pipe ready, SIGUSR1 pending and let through: 1\n  handled 0, blocked 1, pending 1\n",
                "pselect without a timeout, SIGCHLD let through, a child that exits: -1 (EINTR)\n");
    }

    /**
     * inotify (stop 53; before, ENOSYS, and Node's fs.watch threw): the events the program's own changes make, in
     * Linux's order with names and cookies, merged when alike, IN_ONESHOT, IN_MASK_ADD and IN_MASK_CREATE, IN_IGNORED,
     * a short read's EINVAL, FIONREAD, poll, and a blocking read a child's exit ends (its IN_CLOSE_WRITE).
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void inotifyReportsTheProgramsChangesAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("inotify-" + linking, List.of("--writable-dir", dir.toString()));
        assertThat(actual.out()).contains("after creat:\n  dir CREATE 'a.txt' (len 16)\n  dir OPEN 'a.txt' (len 16)\n",
                "after a rename that replaces a watched file:\n  dir MOVED_FROM 't1' (len 16) cookie new\n"
                        + "  dir MOVED_TO 't2' (len 16) cookie same\n  second ATTRIB\n  first MOVE_SELF\n",
                "a read of 16 bytes: -1 (EINVAL)\n",
                "a blocking read while a child writes: 1, CLOSE_WRITE 1, 'from-child'\n");
    }

    /**
     * signalfd (stop 53; before, ENOSYS, and script(1) could not start): blocked signals read as struct
     * signalfd_siginfo with their sender, value, a child's status and a timer's code; poll and epoll readiness; a
     * blocking read that a timer's or a child's signal ends; a new mask; the errors.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void signalfdReadsBlockedSignalsAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("sigfd-" + linking);
        assertThat(actual.out()).contains("read, two pending: 256\n", "  sigqueue's value: 42\n",
                "a blocking read, a timer's SIGALRM: 128\n  signo 14 code 128\n",
                "  signo 17 code 1 status 5, the child's pid 1\n");
    }

    /**
     * Pseudo-terminals (stop 53; before, /dev/ptmx did not exist, so script(1), Python's pty and expect-like tools
     * failed): the pair's set-up, the line discipline's echo and editing, raw mode, a controlling terminal and ^C's
     * SIGINT to its foreground group, and both hang-ups.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void pseudoTerminalsBehaveAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("pty-" + linking);
        assertThat(actual.out()).contains("typed ab, erase, c, return: 3 \"ac|\"\n",
                "its echo: the master reads \"ab\\x08 \\x08c\\x0d\\x0a\"\n",
                "raw: the EOF typed in cooked mode, read: 1\n  as the byte 0\n",
                "the child: killed by SIGINT 1\n", "^C echoed: the master reads \"^C\"\n",
                "the slave's write, the master closed: -1 (EIO)\n");
    }

    /**
     * sendmmsg and recvmmsg (stop 52; before, ENOSYS): datagrams sent and received several at a call, each entry's
     * msg_len, MSG_TRUNC and sender, MSG_WAITFORONE, and a first receive that would wait or fails.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void manyMessagesACallAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("mmsg-" + linking);
        assertThat(actual.out()).contains("sendmmsg of 3: 3\n", "  msg_len: 3 5 7\n",
                "recvmmsg of 4, 3 waiting, MSG_WAITFORONE: 3\n", "recvmmsg, nothing waiting: -1 (EAGAIN)\n",
                "  'one' 'three' 'fift'\n");
    }

    /**
     * prctl's process controls answer as natively (stop 55; before, all but the name were EINVAL, which setpriv and
     * sandboxes met): the parent-death signal is sent when the parent ends, and a child subreaper adopts the orphan.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void prctlsParentDeathSignalSubreaperAndNoNewPrivsAnswerAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("prctl-" + linking);
        assertThat(actual.out()).contains("clear no_new_privs: -1 (EINVAL)\n", "child: pdeathsig 0, no_new_privs 1\n",
                "grandchild: got SIGUSR1 from its parent, parent now the subreaper: 1\n",
                "reaped the grandchild: 1, status 0\n");
    }

    /**
     * Job control between processes as natively (stop 56; before, a stop signal was ignored with a notice): a stopped
     * child runs no more until SIGCONT, waitpid and waitid report stops and continues, SIGCHLD says CLD_STOPPED and
     * CLD_CONTINUED unless SA_NOCLDSTOP, /proc shows T, SIGCONT discards a pending SIGTSTP, SIGKILL ends a stopped
     * child, SIGTSTP is discarded in an orphaned group, and a stopped process whose group is orphaned gets SIGHUP.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void stopAndContinueSignalsStopAndContinueChildrenAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("jobstop-" + linking);
        assertThat(actual.out()).contains("waitpid WUNTRACED: stopped by 19\n", "a stopped child answers: 0\n",
                "its answer: r1 (its SIGCONT handler ran)\n", "SIGCHLD: 2 times, code 6 (CLD_CONTINUED 6), status 18\n",
                "child: SIGTSTP discarded in an orphaned group\n", "child: the stopped grandchild, orphaned: 3 'hup'\n");
    }

    /**
     * A background group's access to its controlling terminal as natively (stop 56; before, it read and wrote as the
     * foreground did): a read stops the reader with SIGTTIN until it is in the foreground and continued, then returns
     * what was typed; under TOSTOP a write stops with SIGTTOU; a SIGTTIN handler makes the read EINTR, or under
     * SA_RESTART makes it again until it succeeds; with SIGTTIN ignored a read is EIO.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void aBackgroundGroupsTerminalAccessStopsItAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("ttystop-" + linking);
        assertThat(actual.out()).contains("background read: stopped by 21\n", "reader: read 6: typed\n",
                "background write, TOSTOP: stopped by 22\n", "ignoring reader: read: -1 (EIO)\n",
                "handling reader: read: -1 (EINTR)\n", "handling reader, SA_RESTART: read 6: again\n");
    }

    /**
     * PTRACE_TRACEME succeeds once and names the parent in TracerPid, as natively (stop 56; before, ptrace was ENOSYS,
     * which anti-debugging checks took for a debugger).
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void ptraceTracemeSucceedsOnceAsItDoesWithoutADebugger(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("traceme-" + linking);
        assertThat(actual.out()).contains("child: PTRACE_TRACEME: 0\n", "child: PTRACE_TRACEME again: -1 (EPERM)\n",
                "child: TracerPid is its parent: 1\n");
    }

    /**
     * ptrace's tracer side between the program's processes, as natively (stop 57; before, PTRACE_ATTACH was EPERM
     * and every other request ESRCH): stops for SIGSTOP, int3, signals, system calls, single steps and an exec, a
     * tracee's memory and registers read and written, signals replaced and suppressed, a call's result changed and a
     * call skipped, PTRACE_ATTACH, PTRACE_SEIZE with PTRACE_INTERRUPT, and a child attaching to its parent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void aTracerStopsReadsAndSteersItsTraceesAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("ptracer-" + linking);
        assertThat(actual.out()).contains("child: rax after the int3 is 42\n", "child: handled signal 12\n",
                "child: getppid says 12345\n", "5 single steps: 5 SIGTRAP stops, rip moved: 1, TF clear: 1\n",
                "exec child under PTRACE_O_TRACEEXEC: stopped, signal 5, event 4\n",
                "seized child: stopped, signal 5, event 128\n",
                "child: attached to its parent: 0, it stopped with signal 19\n", "parent: went on\n");
    }

    /**
     * ptrace's events and a tracer's end, as natively (stop 57): PTRACE_O_TRACEFORK's auto-attached child,
     * PTRACE_O_TRACEEXIT's message, waitid's CLD_TRAPPED, an ignored SIGCHLD a tracer still sees, a tracer that ends
     * without detaching (its tracee goes on) or under PTRACE_O_EXITKILL (it is killed), group-stops (a seized
     * tracee's PTRACE_EVENT_STOP, PTRACE_LISTEN until SIGCONT; an attached one's, without siginfo), and
     * process_vm_readv and process_vm_writev up to an unmapped page.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void ptracesEventsAndATracersEndAreAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("ptraceevents-" + linking);
        assertThat(actual.out()).contains("child at its fork: stopped, signal 5, event 1\n",
                "si_code CLD_TRAPPED, si_status 19", "its exit event's message: 0x400\n",
                "tracee: went on after its tracer ended\n", "the tracee: killed by signal 9\n",
                "the group-stop: stopped, signal 19, event 128\n", "after SIGCONT: stopped, signal 5, event 128\n",
                "the group-stop: GETSIGINFO -1 (EINVAL)\n", "a read across an unmapped page: 16\n");
    }

    /**
     * Debian's strace runs in the guest and follows a shell through its vfork, its child's exec and end, and its own
     * wait interrupted by SIGCHLD (stop 57): the tracer's side of ptrace, PTRACE_SEIZE's options, process_vm_readv,
     * PTRACE_GET_SYSCALL_INFO, the fork, exec and exit events and a tracee's end told to a tracer that is not its
     * parent, each as strace expects them natively.
     */
    @Test
    void straceInTheGuestFollowsAShellThroughItsChildren() throws Exception {
        ProgramRun actual = agentRun(Path.of("/usr/bin/strace"), "-f", "/bin/sh", "-c", "echo traced; /bin/true");
        assertThat(actual.status()).as(actual.err()).isZero();
        assertThat(actual.out()).isEqualTo("traced\n");
        assertThat(actual.err()).contains("execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"echo traced; /bin/true\"]",
                "write(1, \"traced\\n\", 7", "execve(\"/bin/true\", [\"/bin/true\"]", "exited with 0 +++",
                "exit_group(0)                           = ?\n+++ exited with 0 +++\n")
                .containsPattern("vfork\\(.*Process \\d+ attached")
                .doesNotContain("unfinished ...>\n+++", "No child processes\n/usr/bin/strace", "detached")
                .doesNotContainPattern("wait4 resumed>.*= 61"); // an interrupted wait's exit-stop as rt_sigreturn's
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    /**
     * strace follows the threads of a program and a child it forks, each thread's end reported (stop 57: before,
     * the threads' ends were not, and strace ended with "wait4(__WALL): No child processes" and status 1).
     */
    @Test
    void straceInTheGuestFollowsThreadsToTheirEnds() throws Exception {
        ProgramRun actual = agentRun(Path.of("/usr/bin/strace"), "-f", "-e", "trace=clone,clone3,exit,exit_group",
                dir.resolve("threads").toString());
        assertThat(actual.status()).as(actual.err()).isZero();
        assertThat(actual.out()).isEqualTo("4 threads, counter 400000\n");
        assertThat(actual.err().split("exited with 0 \\+\\+\\+", -1)).as(actual.err()).hasSize(6); // 5 ends
        assertThat(actual.err()).doesNotContain("No child processes", "detached");
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    /**
     * The debugger's own events see each call of a program traced inside the guest once: strace stops its tracee at
     * each call's entry and at its exit (PTRACE_O_TRACEEXIT), and the tracee makes the call when it goes on; the
     * agent raises the call's exits then, not at the stop too (stop 57).
     */
    @Test
    void theDebuggersSyscallEventSeesATracedCallOnce() throws Exception {
        String out;
        try (AgentProcess agent = AgentProcess.start("--elf", "/usr/bin/strace", "--root", "/", "--cwd",
                dir.toString(), "--", "-o", "/dev/null", dir.resolve("ptracer-static").toString(), "exec")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "!syscall e7 log {$pid}\ng\n", "--json"); // exit_group
            assertThat(run.exitCode()).as(run.out()).isZero();
            out = run.out();
        }
        List<String> pids = out.lines().filter(line -> line.startsWith("{\"type\":\"log\""))
                .map(line -> line.replaceAll(".*\"value\":\"(0x[0-9a-f]+)\".*", "$1")).toList();
        // strace, the program it traces, and the child strace forks to probe ptrace's features: each exits once
        assertThat(pids).as(out).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
        assertThat(out).contains("exec'd program: runs");
    }

    /**
     * Debian's gdb runs in the guest and debugs a program there (stop 57): a breakpoint (an int3 it writes into the
     * program's code through /proc/PID/mem), the registers, SSE ones included, a single step, the program's output
     * and end.
     */
    @Test
    void gdbInTheGuestDebugsAProgramThere() throws Exception {
        ProgramRun actual = agentRun(Path.of("/usr/bin/gdb"), "-nx", "-batch", "-ex", "break main", "-ex", "run",
                "-ex", "p argc", "-ex", "p $xmm1.v4_int32[0] == $xmm1.v4_int32[0]", "-ex", "stepi", "-ex",
                "p $pc > (long) main", "-ex", "continue", "--args", dir.resolve("ptracer-debug").toString(), "exec");
        assertThat(actual.out()).as(actual.err()).contains("Breakpoint 1, main (argc=2, argv=", "$1 = 2\n", "$2 = 1\n",
                "$3 = 1\n", "exec'd program: runs\n", "exited with code 07]");
        assertThat(actual.err()).doesNotContain("Couldn't get registers", "not compatible", "mem file",
                "address space randomization");
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    /**
     * capget and capset report and keep the capability sets of the user the program runs as, and the protection key
     * calls say there are none (stop 51; before, all were ENOSYS, which Node.js met as it started).
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void capabilitiesAndProtectionKeysAnswerAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("caps-" + linking);
        assertThat(actual.out()).contains("the version it prefers: 0x20080522\n", "the same sets: 1\n",
                "capset to what it has: 0\n", "capset raising a permitted one it does not hold: -1 (EPERM)\n",
                "pkey_mprotect, key -1: 0\n");
    }

    /**
     * poll's hang-ups (stop 51): POLLHUP to the reader of a pipe or socket whose other side is gone and POLLERR to a
     * pipe's writer, unasked; a non-blocking reader of a named pipe that has seen no writer yet is not ready (it was
     * POLLIN, as at end of file). In the working directory, writable, for the named pipe.
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void pollReportsHangUpsAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("pollhup-" + linking, List.of("--writable-dir", dir.toString()));
        assertThat(actual.out()).contains("pipe, the writer gone, data left: 0x11\n",
                "pipe's writer, the reader gone: 0xc\n", "named pipe, no writer yet: 0\n",
                "stream socket shut both ways: 0x11\n");
    }

    /**
     * posix_spawn's child runs in the parent's memory (CLONE_VM | CLONE_VFORK) and writes the exec's error there: a
     * missing program fails with ENOENT in the parent (before stop 39 the child wrote into a copy: "no error").
     */
    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void posixSpawnOfAMissingProgramFailsInTheParentAsNatively(String linking) throws Exception {
        ProgramRun actual = sameAsNatively("spawn-" + linking);
        assertThat(actual.out()).isEqualTo("spawning a missing program: No such file or directory\n"
                + "spawning /bin/sh: no error, status 3\n");
    }

    /**
     * A process's other thread ends it while its vfork child still runs in its memory: the child keeps the memory and
     * finishes (the timings, 20, 100 and 300 ms of sleeps, keep the order natively too; not compared, to stay off
     * the host's scheduler).
     */
    @Test
    void aVforkChildWhoseParentEndsKeepsTheMemoryItRunsIn() throws Exception {
        ProgramRun actual = agentRun(dir.resolve("vforkorphan"));
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
        assertThat(actual.out()).isEqualTo("c1 ended\nvfork child done\nparent done\n");
        assertThat(actual.status()).isZero();
    }

    @ParameterizedTest(name = "busybox sh -c {0}")
    @CsvSource(delimiter = '|', value = {
            "echo abc | tr a-c x-z; exit 3",
            "for i in 1 2 3; do echo $i; done | sort -r",
            "echo one; (echo sub; exit 4); echo \"status $?\" >&2; false | true && echo piped-ok"})
    void busyboxShellPipelinesPrintWhatTheyPrintNatively(String script) throws Exception {
        assertThat(BUSYBOX).as("busybox-static (bin/test installs it)").isExecutable();
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), BUSYBOX, "sh", "-c", script);
        ProgramRun actual = agentRun(BUSYBOX, "sh", "-c", script);
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    @Test
    void debiansBashStaticRunsAScriptWithAPipelineACommandSubstitutionAndASubshellAsNatively() throws Exception {
        Path bash = Path.of("/bin/bash-static");
        assertThat(bash).as("bash-static (bin/test installs it)").isExecutable();
        Files.writeString(dir.resolve("script.sh"), """
                words="pear apple fig"
                for w in $words; do echo "$w"; done | sort | tr a-z A-Z
                count=$(echo $words | wc -w)
                echo "count $count"
                ( cd /; echo "subshell in $(pwd)"; exit 6 )
                echo "subshell status $?"
                echo err >&2
                exit 2
                """);
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), bash, "script.sh");
        ProgramRun actual = agentRun(bash, "script.sh");
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
        assertThat(actual.status()).isEqualTo(2);
    }

    @Test
    void theHostsDynamicallyLinkedShRunsAPipelineOfHostProgramsAsNatively() throws Exception {
        Path sh = Path.of("/bin/sh");
        String script = "echo one two three | tr ' ' '\\n' | sort -r; (exit 3); echo \"status $?\"";
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), sh, "-c", script);
        ProgramRun actual = agentRun(sh, "-c", script);
        actual.assertSameAs(expected);
        assertThat(actual.out()).isEqualTo("two\nthree\none\nstatus 3\n");
    }

    @Test
    void aForkBombEndsInEagainAtTheProcessLimitAndEveryChildIsReaped() throws Exception {
        ProgramRun run = agentRun(dir.resolve("limits-static"), "bomb");
        assertThat(run.out()).isEqualTo("fork failed with EAGAIN after 31 children\nreaped 31\n");
        assertThat(run.status()).isZero();
    }

    @Test
    void anEventFilteredOnTheChildsPidFiresOnlyInTheChildAndABreakThereNamesItsProcess() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("limits-static").toString(), "--root", "/",
                "--cwd", dir.toString(), "--", "marker")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !epthook marker pid 3e9 script { printf("pid-1001 event: pid %d tid %d who %d\\n", $pid, $tid, @rdi); }
                    !epthook marker script { printf("any-pid event: pid %d tid %d who %d\\n", $pid, $tid, @rdi); }
                    bp marker
                    g
                    r rdi
                    g
                    r rdi
                    g
                    """);
            assertThat(run.lines()).filteredOn(l -> l.matches("(pid-1001|any-pid) event: .*")).containsExactly(
                    "pid-1001 event: pid 1001 tid 1001 who 1",
                    "any-pid event: pid 1001 tid 1001 who 1",
                    "any-pid event: pid 1000 tid 1000 who 0");
            assertThat(run.out()).containsPattern("breakpoint 1 hit at rip 0x[0-9a-f]+ \\(marker\\) on core 1 "
                    + "\\(process 1001\\)").contains("marker done", "the program exited with status 0");
        }
    }

    @Test
    void dotProcessListsTheProcessesAndSwitchesWhoseRegistersAndMemoryTheDebuggerShowsAndPidReadsAnotherOnce() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("limits-static").toString(), "--root", "/",
                "--cwd", dir.toString(), "--", "marker")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    bp marker
                    g
                    .process
                    dd role l4
                    .process pid 0n1000
                    r rdi
                    dd role l4
                    .process pid 0n1001
                    dd role l4
                    dd role l4 pid 0n1000
                    dd role l4
                    g
                    g
                    """);
            String out = run.out();
            assertThat(out).containsPattern("(?m)^\\* process 1001  threads 1001 \\(core 1, running\\)")
                    .containsPattern("(?m)^  process 1000  threads 1000 \\(core 0, waiting\\)")
                    .contains("current core is 0 (thread 1000", "current core is 1 (thread 1001", "marker done",
                            "the program exited with status 0");
            assertThat(roles(out)).as("role in each process's memory (pid 0n1000: the parent's):\n%s", out)
                    .containsExactly(1L, 0L, 1L, 0L, 1L);
        }
    }

    /** The first double word of each {@code dd role l4}. */
    private static List<Long> roles(String out) {
        return java.util.regex.Pattern.compile("(?m)^[0-9a-f]{16}  ([0-9a-f]{8})").matcher(out).results()
                .map(r -> Long.parseLong(r.group(1), 16)).toList();
    }

    @Test
    void processesWaitingForEachOtherAreADeadlockThatEndsTheProgramWithANotice() throws Exception {
        ProgramRun run = agentRun(dir.resolve("limits-dynamic"), "stuck");
        assertThat(run.out()).isEqualTo("parent waits for child\n");
        assertThat(run.status()).isEqualTo(128 + 9);
        assertThat(run.notices()).singleElement().asString()
                .startsWith("deadlock: every thread waits")
                .contains("thread 1000 of process 1000 (core 0, waiting for process 1000)",
                        "of process 1001 (core 1, waiting for pipe:[")
                .endsWith("hdbg ends it as kill -9 would (exit status 137)");
    }
}
