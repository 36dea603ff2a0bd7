package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's own dynamically linked programs from /usr/bin, run with {@code --root /} against the host's libraries and
 * natively, in the same directory with the same arguments, input and (empty) environment: stdout, stderr and the exit
 * status must be equal byte for byte, and the agent must not have met a system call it does not implement.
 * bin/test installs the packages (coreutils, grep, sed, mawk, gawk, gzip, xz-utils, findutils, python3-minimal,
 * perl-base).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DynamicProgramsIT {
    private static final Path ROOT = Path.of("/");
    private static final Pattern STRACE_LINE = Pattern.compile("^(?:\\d+ +)?\\[\\s*(\\d+)\\] (\\w+)\\(");
    private static final Pattern LOGGED_CONTEXT = Pattern.compile("\"name\":\"\\$context\",\"value\":\"0x([0-9a-f]+)\"");
    /**
     * The emulated CPU is x86-64-baseline and the host's is likely more: glibc's loader then allocates differently
     * for the host's CPU (its glibc-hwcaps subdirectories) and makes one more mmap. The native reference masks the
     * features above the baseline, so both loaders see the same CPU; the agent's run gets the same variable.
     */
    private static final String BASELINE_CPU = "GLIBC_TUNABLES=glibc.cpu.hwcaps=-SSE4_2,-POPCNT,-AVX512F,-AVX2,-AVX";

    @TempDir
    static Path dir;

    @BeforeAll
    static void prepareTheDirectory() throws Exception {
        Files.writeString(dir.resolve("fruit.txt"), "pear\napple\nfig\napple\nbanana\nfig\napple\n");
        Files.writeString(dir.resolve("numbers.txt"), "10\n9\n100\n-3\n42\n");
        Files.writeString(dir.resolve("text.txt"), "The quick brown fox\njumps over\tthe lazy dog.\n\nÜnïcödé ✓\n");
        Files.writeString(dir.resolve("csv.txt"), "name,colour,count\npear,green,3\nfig,purple,12\n");
        Files.writeString(dir.resolve("build.mk"), "all: one two\n\t/usr/bin/echo made $^\none:\n\t/usr/bin/printf '%s\\n'"
                + " one\ntwo:\n\t@/usr/bin/true\n");
        Path tree = Files.createDirectories(dir.resolve("tree/sub/deeper"));
        Files.writeString(dir.resolve("tree/a.txt"), "alpha\n");
        Files.writeString(dir.resolve("tree/sub/b.txt"), "beta\n".repeat(1000));
        Files.writeString(tree.resolve("c.txt"), "");
        Files.createSymbolicLink(dir.resolve("tree/link"), Path.of("sub/b.txt"));
        FileTime fixed = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));
        try (Stream<Path> all = Files.walk(dir.resolve("tree"))) {
            for (Path p : all.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, fixed);
                }
            }
        }
        run(dir, "gzip", "-k", "-n", "fruit.txt");
        if (Files.isExecutable(Path.of("/usr/bin/xz"))) {
            run(dir, "xz", "-k", "text.txt");
        }
    }

    private static void run(Path in, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", Arrays.toString(command), out).isZero();
    }

    /** One command: the program's path, its arguments, and a file of the directory as its standard input (or null). */
    private static Arguments command(String stdin, String program, String... args) {
        return Arguments.of(program, List.of(args), stdin);
    }

    static Stream<Arguments> programs() {
        return Stream.of(
                command(null, "/usr/bin/sort", "fruit.txt"),
                command(null, "/usr/bin/sort", "-n", "-r", "numbers.txt"),
                command("fruit.txt", "/usr/bin/uniq", "-c"),
                command(null, "/usr/bin/wc", "text.txt", "fruit.txt"),
                command(null, "/usr/bin/sha256sum", "text.txt", "fruit.txt"),
                command(null, "/usr/bin/md5sum", "fruit.txt"),
                command(null, "/usr/bin/base64", "text.txt"),
                command(null, "/usr/bin/od", "-c", "text.txt"),
                command("text.txt", "/usr/bin/tr", "a-z", "A-Z"),
                command(null, "/usr/bin/cut", "-d,", "-f2", "csv.txt"),
                command(null, "/usr/bin/head", "-n", "2", "fruit.txt"),
                command(null, "/usr/bin/tail", "-n", "3", "fruit.txt"),
                command(null, "/usr/bin/seq", "1", "3", "20"),
                command(null, "/usr/bin/expr", "6", "*", "7"),
                command(null, "/usr/bin/expr", "length", "hdbg"),
                command(null, "/usr/bin/printf", "%s has %d fruits, %5.2f each\\n", "Anna", "7", "0.5"),
                command(null, "/usr/bin/date", "-d", "@0", "-u"),
                command(null, "/usr/bin/stat", "-c", "%s %n", "fruit.txt", "text.txt"),
                command(null, "/usr/bin/ls", "-la", "tree", "tree/sub"),
                command(null, "/usr/bin/cat", "fruit.txt", "missing.txt"),
                command(null, "/usr/bin/tac", "fruit.txt"),
                command(null, "/usr/bin/nl", "fruit.txt"),
                command(null, "/usr/bin/du", "-a", "tree"),
                command(null, "/usr/bin/readlink", "/proc/self/exe"),
                command(null, "/usr/bin/grep", "-E", "-n", "ap+le|^f", "fruit.txt"),
                command(null, "/usr/bin/sed", "-e", "s/a/A/g", "-e", "3d", "fruit.txt"),
                command(null, "/usr/bin/mawk", "-F,", "NR > 1 { total += $3 } END { print total, NR }", "csv.txt"),
                command(null, "/usr/bin/gawk", "-F,", "{ printf \"%-8s|%5.1f\\n\", toupper($1), $3 * 1.5 }", "csv.txt"),
                command(null, "/usr/bin/gzip", "-c", "-n", "fruit.txt"),
                command(null, "/usr/bin/gzip", "-dc", "fruit.txt.gz"),
                command(null, "/usr/bin/xz", "-dc", "text.txt.xz"),
                command(null, "/usr/bin/xz", "-c", "fruit.txt"),
                command(null, "/usr/bin/find", "tree"),
                command(null, "/usr/bin/find", "tree", "-name", "*.txt", "-size", "-2k"),
                command(null, "/usr/bin/python3", "-c", "print(sum(range(10**6)))"),
                // asyncio: its event loop's epoll, the socketpair it wakes itself through (set non-blocking with
                // ioctl FIONBIO), timers, a queue and a child process read through a pipe.
                command(null, "/usr/bin/python3", "-c", String.join("\n",
                        "import asyncio",
                        "async def square(n):",
                        "    await asyncio.sleep(0.01 * n)",
                        "    return n * n",
                        "async def main():",
                        "    q = asyncio.Queue()",
                        "    for i in range(3): q.put_nowait(i)",
                        "    child = await asyncio.create_subprocess_exec('/usr/bin/echo', 'child',"
                                + " stdout=asyncio.subprocess.PIPE)",
                        "    out, _ = await child.communicate()",
                        "    print(await asyncio.gather(*map(square, range(5))), [q.get_nowait() for _ in range(3)],"
                                + " out.decode().strip(), await child.wait())",
                        "asyncio.run(main())")),
                // select on a child's pipe with a timeout: it waits for the child's output (it returned 0 at once
                // beside another process, which Python took for the timeout). 60 s: the guest's clock runs while sh
                // starts cold under emulation.
                command(null, "/usr/bin/python3", "-c", "import subprocess, select; p = subprocess.Popen(['/usr/bin/sh',"
                        + " '-c', 'sleep 0.1; echo abc'], stdout=subprocess.PIPE); r, _, _ = select.select([p.stdout], [],"
                        + " [], 60); print(r != [], p.stdout.read(), p.wait())"),
                // multiprocessing: its locks and queues are named semaphores in /dev/shm (sem_open maps the file
                // shared), a Value lives in an arena file there, mapped shared after it is unlinked; a pool of two
                // forked workers. Before stop 40 /dev/shm did not exist, and the first Lock failed with ENOENT.
                command(null, "/usr/bin/python3", "-c", String.join("\n",
                        "import multiprocessing as mp",
                        "def add(v, n):",
                        "    for _ in range(n):",
                        "        with v.get_lock(): v.value += 1",
                        "if __name__ == '__main__':",
                        "    v = mp.Value('i', 0)",
                        "    ps = [mp.Process(target=add, args=(v, 50)) for _ in range(2)]",
                        "    [p.start() for p in ps]; [p.join() for p in ps]",
                        "    q = mp.Queue(); p = mp.Process(target=q.put, args=('queued',)); p.start()",
                        "    print(v.value, q.get()); p.join()",
                        "    with mp.Pool(2) as pool: print(pool.map(abs, [-1, -2, -3]))")),
                // multiprocessing's spawn: the resource tracker and the child are new interpreters (vfork, exec)
                // starting side by side, and the child opens the parent's semaphore by name and its Value's arena
                // through an inherited descriptor. Before stop 40 the agent died after 20 s of their switching: each
                // switch re-translated their code, and Unicorn 2.0.1's own flush of its full buffer crashed.
                command(null, "/usr/bin/python3", "-c", String.join("\n",
                        "import multiprocessing as mp",
                        "if __name__ == '__main__':",
                        "    mp.set_start_method('spawn')",
                        "    v = mp.Value('i', 5)",
                        "    lock = mp.Lock()",
                        "    p = mp.Process(target=print, args=('child', lock, v)); p.start(); p.join()",
                        "    print('exit', p.exitcode)")),
                // timeout moves itself and its child to a group of their own and signals that group: the shell that
                // ran it was killed with them while every process shared one group.
                command(null, "/usr/bin/bash", "-c", "timeout 1 sleep 5; echo $?; timeout -s INT 0.5 sleep 3;"
                        + " echo $?; timeout 5 true; echo $?"),
                // GNU make runs each recipe line through posix_spawn, which resets the effective ids (setresuid).
                command(null, "/usr/bin/make", "-f", "build.mk"),
                command(null, "/usr/bin/perl", "-e", "print join(',', map { $_ * $_ } 1..10), \"\\n\"; exit 3"),
                // The dynamic loader run as a program, the way `ld.so PROGRAM` is used to run one with another glibc.
                command(null, "/lib64/ld-linux-x86-64.so.2", "/usr/bin/sort", "-r", "fruit.txt"));
    }

    @ParameterizedTest(name = "{0} {1} < {2}")
    @MethodSource("programs")
    void debianProgramsPrintWhatTheyPrintNatively(String program, List<String> args, String stdin) throws Exception {
        Path path = Path.of(program);
        assumeTrue(Files.isExecutable(path), program + " is not installed (bin/test installs it)");
        Optional<Path> input = Optional.ofNullable(stdin).map(dir::resolve);
        String[] argv = args.toArray(String[]::new);
        ProgramRun expected = ProgramRun.nativeRun(dir, input, path, argv);
        ProgramRun actual = ProgramRun.underAgent(List.of("--cwd", dir.toString()), ROOT, input, path, argv);
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    /**
     * A gcc-built program with lazy binding (Debian's own programs are linked -z now) passes doubles to printf and
     * frexp on their first calls, through glibc's resolver, which keeps XMM0-15 with FXSAVE: that needs CR4.OSFXSR,
     * as Linux sets it; without it the program printed 0.000 -nan.
     */
    @Test
    void doublesReachALazilyBoundFunctionOnItsFirstCall() throws Exception {
        Path program = dir.resolve("floats");
        GuestPrograms.compile(GuestPrograms.source(dir, "floats.c"), program, "-O1", "-Wl,-z,lazy");
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), program);
        assertThat(expected.out()).isEqualTo("3.750 9.375 1.25\nfrexp 0.9375 2 ldexp 3.75\n");
        ProgramRun actual = ProgramRun.underAgent(List.of("--cwd", dir.toString()), ROOT, Optional.empty(), program);
        actual.assertSameAs(expected);
    }

    /** With LANG=C.UTF-8 glibc opens and maps the locale's files (/usr/lib/locale/C.utf8): characters, not bytes. */
    @Test
    void aLocaleIsLoadedFromTheRootAsNatively() throws Exception {
        for (List<String> command : List.of(List.of("/usr/bin/wc", "-m", "text.txt"),
                List.of("/usr/bin/cut", "-c", "1-3", "text.txt"))) {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(new java.io.File("/dev/null"));
            builder.environment().clear();
            builder.environment().put("LANG", "C.UTF-8");
            Process native_ = builder.start();
            String expected = new String(native_.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(native_.waitFor()).isZero();
            ProgramRun actual = ProgramRun.underAgent(List.of("--cwd", dir.toString(), "--env", "LANG=C.UTF-8"), ROOT,
                    Optional.empty(), Path.of(command.getFirst()), command.subList(1, command.size()).toArray(String[]::new));
            assertThat(actual.out()).as("%s", command).isEqualTo(expected);
        }
    }

    @Test
    void syscallEventLogsTheSequenceStraceRecordsForADynamicProgram() throws Exception {
        Path trace = dir.resolve("strace.txt");
        ProcessBuilder strace = new ProcessBuilder("strace", "-f", "-n", "-o", trace.toString(), "/usr/bin/sha256sum",
                "fruit.txt").directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        strace.environment().clear();
        strace.environment().put(BASELINE_CPU.substring(0, BASELINE_CPU.indexOf('=')),
                BASELINE_CPU.substring(BASELINE_CPU.indexOf('=') + 1));
        Process traced = strace.start(); // stdout is a pipe, as the agent's is
        traced.getInputStream().readAllBytes();
        assertThat(traced.waitFor()).as("strace (bin/test installs it)").isZero();
        List<Long> native_ = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) {
            Matcher m = STRACE_LINE.matcher(line);
            if (m.find() && !m.group(2).equals("execve")) { // the agent starts after the kernel's execve
                native_.add(Long.parseLong(m.group(1)));
            }
        }

        String out;
        try (AgentProcess agent = AgentProcess.start("--elf", "/usr/bin/sha256sum", "--root", "/", "--cwd", dir.toString(),
                "--env", BASELINE_CPU, "--", "fruit.txt")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "!syscall log {$context}\ng\n", "--json");
            assertThat(run.exitCode()).as(run.out()).isZero();
            out = run.out();
        }
        List<Long> logged = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = LOGGED_CONTEXT.matcher(line);
            if (line.startsWith("{\"type\":\"log\"") && m.find()) {
                logged.add(Long.parseLong(m.group(1), 16));
            }
        }
        // The loader's work: ld.so.cache and libc opened, read, mapped, relro protected; then the program's.
        assertThat(native_).as("strace's sequence").hasSizeGreaterThan(30).contains(21L, 257L, 17L, 9L, 10L, 158L, 231L);
        assertThat(logged).as("the agent's !syscall log, in %s", out).isEqualTo(native_);
    }
}
