package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --root /}: the host's programs and libraries, read-only unless a directory is named writable, with a
 * {@code /proc}, {@code /sys} and {@code /dev} of the guest's own (never the agent's), and an environment that is only
 * what the user gives.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostRootIT {
    private static final Path ROOT = Path.of("/");

    @TempDir
    static Path dir;

    @BeforeAll
    static void prepare() throws Exception {
        Files.writeString(dir.resolve("kept.txt"), "kept\n");
    }

    private static ProgramRun inDir(List<String> options, String program, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--cwd", dir.toString()));
        all.addAll(options);
        return ProgramRun.underAgent(all, ROOT, Optional.empty(), Path.of(program), args);
    }

    /** {@code program args} under the agent with {@code writable}, a directory of the test's, its cwd and writable. */
    private static ProgramRun inWritable(Path writable, String program, String... args) throws Exception {
        return ProgramRun.underAgent(List.of("--cwd", writable.toString(), "--writable-dir", writable.toString()),
                ROOT, Optional.empty(), Path.of(program), args);
    }

    private static void sameAsNative(String program, String... args) throws Exception {
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), Path.of(program), args);
        ProgramRun actual = inDir(List.of(), program, args);
        actual.assertSameAs(expected);
    }

    @Test
    void procSelfIsTheProgramAsNatively() throws Exception {
        sameAsNative("/usr/bin/readlink", "/proc/self/exe", "/proc/self/cwd", "/proc/self/root");
        sameAsNative("/usr/bin/cat", "/proc/self/cmdline");
        sameAsNative("/usr/bin/ls", "/proc/self/fd/");
        sameAsNative("/usr/bin/cat", "/dev/null", "/dev/tty"); // no controlling terminal: ENXIO
    }

    @Test
    void procSelfMapsAndAuxvDescribeTheGuestNotTheAgent() throws Exception {
        ProgramRun maps = inDir(List.of(), "/usr/bin/cat", "/proc/self/maps");
        assertThat(maps.out()).containsPattern("(?m)^555555554000-[0-9a-f]+ r--p 00000000 00:00 \\d+ +/usr/bin/cat$")
                .containsPattern("(?m)^[0-9a-f]+-[0-9a-f]+ r-xp [0-9a-f]+ 00:00 \\d+ +/usr/lib/x86_64-linux-gnu/libc.so.6$")
                .containsPattern("(?m)^[0-9a-f]+-[0-9a-f]+ r-xp 00000000 00:00 0 +\\[vdso\\]$")
                .containsPattern("(?m)^[0-9a-f]+-[0-9a-f]+ rw-p 00000000 00:00 0 +\\[stack\\]$")
                .contains("ld-linux-x86-64.so.2").doesNotContain("java", "libjvm", "hdbg");
        ProgramRun auxv = inDir(List.of("--env", "LD_SHOW_AUXV=1"), "/usr/bin/true");
        assertThat(auxv.out()).containsPattern("(?m)^AT_SYSINFO_EHDR: +0x7fff[0-9a-f]+$")
                .containsPattern("(?m)^AT_BASE: +0x7fff[0-9a-f]+$").containsPattern("(?m)^AT_ENTRY: +0x5555555[0-9a-f]+$")
                .contains("AT_EXECFN:            /usr/bin/true").contains("AT_PLATFORM:          x86_64");
        ProgramRun od = inDir(List.of(), "/usr/bin/od", "-A", "n", "-t", "x8", "-w16", "/proc/self/auxv");
        assertThat(od.out()).as("AT_PAGESZ 4096, then AT_NULL").contains(" 0000000000000006 0000000000001000\n")
                .endsWith(" 0000000000000000 0000000000000000\n");
    }

    @Test
    void theHostsProcAndDevAreNotTheGuests() throws Exception {
        assertThat(inDir(List.of(), "/usr/bin/ls", "/proc").out()).isEqualTo(
                "1000\ncpuinfo\nfilesystems\nloadavg\nmeminfo\nmounts\nnet\nself\nstat\nsys\nthread-self\nuptime\nversion\n"
                        + "vmstat\n");
        ProgramRun init = inDir(List.of(), "/usr/bin/cat", "/proc/1/cmdline", "/proc/kcore");
        assertThat(init.err()).isEqualTo("""
                /usr/bin/cat: /proc/1/cmdline: No such file or directory
                /usr/bin/cat: /proc/kcore: No such file or directory
                """);
        // The program's environment, never the agent's: what --env gave it (ps e and psutil read it)
        assertThat(inDir(List.of("--env", "GREETING=hi"), "/usr/bin/cat", "/proc/self/environ").out())
                .isEqualTo("GREETING=hi\0");
        assertThat(inDir(List.of(), "/usr/bin/ls", "/dev").out())
                .isEqualTo("fd\nfull\nnull\nptmx\npts\nrandom\nshm\nstderr\nstdin\nstdout\ntty\nurandom\nzero\n");
        // The program's own /dev/shm: empty at the start, writable without --writable-dir, not the host's, and removed
        // when the run ends (an agent's directory in the host's temporary directory).
        long shmDirectories = agentShmDirectories();
        ProgramRun shm = inDir(List.of(), "/usr/bin/sh", "-c",
                "ls -A /dev/shm; echo x > /dev/shm/hdbg-it; cat /dev/shm/hdbg-it");
        assertThat(shm.err()).isEmpty();
        assertThat(shm.out()).isEqualTo("x\n");
        assertThat(Path.of("/dev/shm/hdbg-it")).doesNotExist();
        assertThat(agentShmDirectories()).as("the run's /dev/shm removed").isLessThanOrEqualTo(shmDirectories);
        assertThat(inDir(List.of(), "/usr/bin/head", "-c", "32", "/dev/urandom").stdout()).hasSize(32);
        assertThat(inDir(List.of(), "/usr/bin/cat", "/sys/devices/system/cpu/online").out()).isEqualTo("0\n");
        // The guest's one CPU as its CPUID describes it, not the host's: what build scripts count
        assertThat(inDir(List.of(), "/usr/bin/grep", "-c", "^processor", "/proc/cpuinfo").out()).isEqualTo("1\n");
        assertThat(inDir(List.of(), "/usr/bin/grep", "-m1", "^flags", "/proc/cpuinfo").out())
                .startsWith("flags\t\t: fpu ").contains(" sse2 ", " lm ");
    }

    /**
     * ed keeps its buffer in glibc's tmpfile(), which needs a writable /tmp: on the read-only root it fails, and the
     * user is told how to give the program one; with --tmpfs /tmp the program has a /tmp of its own (a tmpfs to df and
     * findmnt), empty at the start, where the host's files are not, and which goes when the run ends.
     */
    @Test
    void aTmpfsDirectoryIsTheProgramsOwnTmp() throws Exception {
        String edit = "printf 'hello\\n' > /tmp/x && printf '1c\\nbye\\n.\\nw\\nq\\n' | ed -s /tmp/x && cat /tmp/x";
        ProgramRun refused = ProgramRun.underAgent(List.of(), ROOT, Optional.empty(), Path.of("/usr/bin/sh"), "-c",
                "ed -s " + dir.resolve("kept.txt") + " < /dev/null; echo $?");
        assertThat(refused.out()).isEqualTo("1\n");
        assertThat(refused.notices()).anySatisfy(notice -> assertThat(notice).contains("--tmpfs /tmp"));

        long before = agentDirectories("hdbg-tmpfs-");
        ProgramRun own = ProgramRun.underAgent(List.of("--tmpfs", "/tmp"), ROOT, Optional.empty(),
                Path.of("/usr/bin/sh"), "-c", "ls -A /tmp; " + edit + "; stat -f -c %T /tmp; findmnt -n -o FSTYPE /tmp; "
                        + "ls " + dir.resolve("kept.txt") + " 2>&1 >/dev/null | grep -c 'No such file'");
        assertThat(own.err()).isEmpty();
        assertThat(own.out()).as("empty at first; ed's edit; a tmpfs; the host's /tmp hidden")
                .isEqualTo("bye\ntmpfs\ntmpfs\n1\n");
        assertThat(own.notices()).noneSatisfy(notice -> assertThat(notice).contains("--tmpfs"));
        assertThat(Path.of("/tmp/x")).doesNotExist();
        assertThat(agentDirectories("hdbg-tmpfs-")).as("the run's /tmp removed").isLessThanOrEqualTo(before);
    }

    /** The agents' /dev/shm directories in the host's temporary directory now. */
    private static long agentShmDirectories() throws IOException {
        return agentDirectories("hdbg-shm-");
    }

    /** The agents' private directories whose names begin with {@code prefix} in the host's temporary directory now. */
    private static long agentDirectories(String prefix) throws IOException {
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    @Test
    void theRootIsReadOnlyButForTheDirectoriesNamedWritable() throws Exception {
        ProgramRun refused = inDir(List.of(), "/usr/bin/touch", "new.txt");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("/usr/bin/touch: cannot touch 'new.txt': Read-only file system\n");
        assertThat(dir.resolve("new.txt")).doesNotExist();

        ProgramRun copied = inDir(List.of("--writable-dir", dir.toString()), "/usr/bin/cp", "kept.txt", "copy.txt");
        assertThat(copied.err()).isEmpty();
        assertThat(copied.status()).isZero();
        assertThat(dir.resolve("copy.txt")).hasContent("kept\n");

        Path elsewhere = Files.createTempDirectory("hdbg-elsewhere");
        ProgramRun outside = inDir(List.of("--writable-dir", dir.toString()), "/usr/bin/cp", "kept.txt",
                elsewhere.resolve("copy.txt").toString());
        assertThat(outside.err()).isEqualTo("/usr/bin/cp: cannot create regular file '" + elsewhere.resolve("copy.txt")
                + "': Read-only file system\n");
        assertThat(elsewhere.resolve("copy.txt")).doesNotExist();
        Files.delete(elsewhere); // empty, as the refusal left it
    }

    /**
     * Links, lengths and locks in a writable directory (ln, ln -s, truncate, flock from coreutils and util-linux, run
     * by bash -c; tar extracting a link, whose mode it sets through an O_PATH descriptor); a hard link to a file of the
     * read-only tree is refused as a link between file systems. bash -c
     * reads no ~/.bashrc: it does when getpeername says its input may be a network connection (sshd's way).
     */
    @Test
    void linksLengthsAndLocksInAWritableDirectory() throws Exception {
        Path links = Files.createDirectories(dir.resolve("links"));
        Files.writeString(links.resolve("kept.txt"), "kept\n");
        ProgramRun run = inWritable(links, "/usr/bin/bash", "-c", "ln kept.txt hard.txt; ln -s kept.txt soft.txt; "
                        + "truncate -s 3 hard.txt; flock kept.txt cat soft.txt; echo; readlink soft.txt; "
                        + "stat -c '%h %s' kept.txt; tar cf t.tar soft.txt hard.txt && mkdir out && tar xf t.tar -C out "
                        + "&& readlink out/soft.txt; ln /etc/hostname h.txt; echo $?");

        assertThat(run.err()).isEqualTo("ln: failed to create hard link 'h.txt' => '/etc/hostname': "
                + "Invalid cross-device link\n");
        assertThat(run.out()).isEqualTo("kep\nkept.txt\n2 3\nkept.txt\n1\n");
        assertThat(run.status()).isZero();
        assertThat(Files.isSymbolicLink(links.resolve("soft.txt"))).isTrue();
        assertThat(links.resolve("h.txt")).doesNotExist();
    }

    /**
     * procps's ps, pgrep and pkill see the machine's processes through /proc (ps asked for /proc to be mounted, pgrep
     * found nothing): a shell's two background sleeps are listed with their group, pgrep counts them, and pkill ends
     * them, which the shell's wait reports. The sleeps are long: the guest's clock runs while ps, sort and pgrep start
     * cold under emulation, which a loaded machine can stretch past a few seconds.
     */
    @Test
    void psPgrepAndPkillSeeTheMachinesProcesses() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ps")), "procps is not installed");
        ProgramRun run = ProgramRun.underAgent(List.of("--cwd", dir.toString()), ROOT, Optional.empty(),
                Path.of("/usr/bin/bash"), "-c", "sleep 500 & sleep 600 & ps -o pid=,ppid=,pgid=,args= | sort -n; "
                        + "pgrep -c sleep; pkill -g 0 sleep; wait $!; echo $?; pgrep sleep; echo $?");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).matches("""
                \\s+1000\\s+1\\s+1000 /usr/bin/bash -c sleep 500 .*
                \\s+1001\\s+1000\\s+1000 sleep 500
                \\s+1002\\s+1000\\s+1000 sleep 600
                \\s+\\d+\\s+1000\\s+1000 ps -o pid=,ppid=,pgid=,args=
                \\s+\\d+\\s+1000\\s+1000 sort -n
                2
                143
                1
                """);
        assertThat(run.status()).isZero();
    }

    /**
     * mkfifo's named pipes between a shell's processes (mknodat was ENOSYS): a background reader's open waits for the
     * writer, the bytes pass, and a read-write open waits for no one.
     */
    /**
     * busybox cat sends a file into a pipe with sendfile, a pipe's room at a time: before stop 41 the agent read a
     * whole chunk and dropped what the pipe did not take, and md5sum got 72 KiB of 4 MiB.
     */
    @Test
    void aFileSentIntoAPipeArrivesWhole() throws Exception {
        byte[] large = new byte[300_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 13 + i / 1000);
        }
        Files.write(dir.resolve("large.bin"), large);
        String[] pipelines = {"-c", "busybox cat large.bin | md5sum; busybox cat large.bin | busybox wc -c"};
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), Path.of("/usr/bin/bash"), pipelines);
        inDir(List.of(), "/usr/bin/bash", pipelines).assertSameAs(expected);
        // The same without the code kept across switches and execs (the image cache, idle code): as a user may ask.
        inDir(List.of("--no-kept-code"), "/usr/bin/bash", pipelines).assertSameAs(expected);
    }

    /**
     * The first program sits where gdb shows it; a program it execs at a base of its own (ProgramBases), so that the
     * two keep their code on the engine side by side. (`; true` keeps bash from exec'ing cat in its own process.)
     */
    @Test
    void anExecedProgramIsLoadedAtABaseOfItsOwn() throws Exception {
        ProgramRun run = inDir(List.of(), "/usr/bin/bash", "-c", "/usr/bin/cat /proc/self/maps; true");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        Matcher first = Pattern.compile("(?m)^([0-9a-f]+)-[0-9a-f]+ r--p 00000000 00:00 \\d+ +/usr/bin/cat$")
                .matcher(run.out());
        assertThat(first.find()).as(run.out()).isTrue();
        long above = Long.parseUnsignedLong(first.group(1), 16) - 0x5555_5555_4000L;
        assertThat(above).as("a whole number of GiB above where bash is").isPositive();
        assertThat(above % (1L << 30)).isZero();
    }

    /**
     * Debian's gcc compiles and links a C program under hdbg: its driver runs cc1, as and collect2 (ld) as children,
     * through temporary files (in the working directory, as libiberty falls back to it: /tmp is read-only to the
     * program); the program it built runs natively.
     */
    @Test
    void gccBuildsAProgramThatRunsNatively() throws Exception {
        Path work = Files.createDirectories(dir.resolve("cc"));
        Files.writeString(work.resolve("hello.c"), "#include <stdio.h>\nint main(void) { puts(\"built under hdbg\"); }\n");
        // With a PATH, as a shell gives it: without one, collect2 finds no ld (natively too: env -i gcc ...).
        ProgramRun gcc = ProgramRun.underAgent(List.of("--cwd", work.toString(), "--writable-dir", work.toString(),
                "--env", "PATH=/usr/bin:/bin"), ROOT, Optional.empty(), Path.of("/usr/bin/gcc"), "-O2", "hello.c", "-o",
                "hello");
        assertThat(gcc.err()).isEmpty();
        assertThat(gcc.status()).isZero();
        Process hello = new ProcessBuilder(work.resolve("hello").toString()).redirectErrorStream(true).start();
        assertThat(new String(hello.getInputStream().readAllBytes())).isEqualTo("built under hdbg\n");
        assertThat(hello.waitFor()).isZero();
    }

    @Test
    void namedPipesCarryBytesBetweenAShellsProcesses() throws Exception {
        Path fifos = Files.createDirectories(dir.resolve("fifos"));
        ProgramRun run = inWritable(fifos, "/usr/bin/bash", "-c", "mkfifo f; cat f > out & echo line > f; wait; "
                        + "cat out; ls -l f | cut -c1; exec 3<>f; echo rw >&3; read -r l <&3; echo $l");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("line\np\nrw\n");
        assertThat(run.status()).isZero();
    }

    /**
     * multiprocessing's forkserver (Python 3.14's default on Linux): the server gets each new process's descriptors
     * with sendmsg and SCM_RIGHTS, and makes a socket of an inherited descriptor (getsockopt SO_PROTOCOL); its
     * listening socket lives in a temporary directory, here the writable working directory, as /tmp is read-only.
     * Before stop 40: ENOSYS for sendmsg.
     */
    @Test
    void multiprocessingsForkserverPassesDescriptorsToItsServer() throws Exception {
        Path server = Files.createDirectories(dir.resolve("forkserver"));
        ProgramRun run = inWritable(server, "/usr/bin/python3", "-c", String.join("\n",
                "import multiprocessing as mp",
                "if __name__ == '__main__':",
                "    mp.set_start_method('forkserver')",
                "    v = mp.Value('i', 7)",
                "    lock = mp.Lock()",
                "    p = mp.Process(target=print, args=('child', lock, v)); p.start(); p.join()",
                "    print('exit', p.exitcode)"));

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("child <Lock(owner=None)> <Synchronized wrapper for c_int(7)>\nexit 0\n");
        assertThat(run.status()).isZero();
    }

    /**
     * Unix socket servers of the program's own: a forked child connects to its parent's listening socket file,
     * asyncio's unix server answers its own client, and multiprocessing's Listener authenticates a thread's Client
     * (bind was ENOSYS).
     */
    @Test
    void unixSocketServersAnswerTheProgramsOwnClients() throws Exception {
        Path sockets = Files.createDirectories(dir.resolve("sockets"));
        ProgramRun run = inWritable(sockets, "/usr/bin/python3", "-c", String.join("\n",
                        "import asyncio, os, socket, threading",
                        "from multiprocessing.connection import Listener, Client",
                        "srv = socket.socket(socket.AF_UNIX); srv.bind('s.sock'); srv.listen()",
                        "pid = os.fork()",
                        "if pid == 0:",
                        "    c = socket.socket(socket.AF_UNIX); c.connect('s.sock'); c.sendall(b'child'); os._exit(0)",
                        "conn, _ = srv.accept(); print(conn.recv(10), conn.getsockname(), os.waitpid(pid, 0)[1])",
                        "async def handle(r, w):",
                        "    w.write((await r.readline()).upper()); await w.drain(); w.close()",
                        "async def main():",
                        "    async with await asyncio.start_unix_server(handle, 'a.sock'):",
                        "        r, w = await asyncio.open_unix_connection('a.sock')",
                        "        w.write(b'ping\\n'); print(await r.readline()); w.close()",
                        "asyncio.run(main())",
                        "l = Listener('mp.sock', authkey=b'k')",
                        "t = threading.Thread(target=lambda: (c := l.accept()).send(c.recv() * 2)); t.start()",
                        "c = Client('mp.sock', authkey=b'k'); c.send(21); print(c.recv()); t.join()"));

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("b'child' s.sock 0\nb'PING\\n'\n42\n");
        assertThat(run.status()).isZero();
        assertThat(sockets.resolve("s.sock")).as("the socket file bind made").exists();
    }

    /**
     * SQLite in a writable directory: fcntl's record locks (F_SETLK was EINVAL, and SQLite said "disk I/O error"), its
     * journal written, synced and unlinked, and a second connection kept out by the first's exclusive lock.
     */
    @Test
    void aSqliteDatabaseIsWrittenLockedAndReadBack() throws Exception {
        Path data = Files.createDirectories(dir.resolve("sqlite"));
        ProgramRun run = inWritable(data, "/usr/bin/python3", "-c", String.join("\n",
                        "import sqlite3",
                        "c = sqlite3.connect('db.sqlite')",
                        "c.execute('create table t(x)')",
                        "c.executemany('insert into t values (?)', [(i,) for i in range(100)])",
                        "c.commit()",
                        "print(c.execute('select sum(x) from t').fetchone())",
                        "d = sqlite3.connect('db.sqlite', timeout=0)",
                        "c.execute('begin exclusive')",
                        "try:",
                        "    d.execute('select 1 from t').fetchall()",
                        "except sqlite3.OperationalError as e:",
                        "    print(e)",
                        "c.rollback()",
                        "print(d.execute('select count(*) from t').fetchone())"));

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("(4950,)\ndatabase is locked\n(100,)\n");
        assertThat(run.status()).isZero();
        assertThat(run.notices()).isEmpty();
    }

    @Test
    void theEnvironmentIsOnlyWhatIsGivenUnlessInherited() throws Exception {
        assertThat(inDir(List.of(), "/usr/bin/env").out()).isEmpty();
        assertThat(inDir(List.of("--env", "GREETING=hello world", "--env", "LANG=C"), "/usr/bin/env").out())
                .isEqualTo("GREETING=hello world\nLANG=C\n");
        String path = System.getenv("PATH");
        assertThat(inDir(List.of("--inherit-env", "--env", "EXTRA=1"), "/usr/bin/env").out())
                .contains("PATH=" + path + "\n").endsWith("EXTRA=1\n");
    }
}
