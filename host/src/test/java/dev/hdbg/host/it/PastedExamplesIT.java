package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HyperDbg's documented examples (docs.hyperdbg.org, the "Debugging commands", "Meta commands" and "Extension
 * commands" pages, and the help text of libhyperdbg's command sources) pasted into one {@code hdbg --batch} session
 * with a real agent, each line's effect checked: memory and registers read back, the stops the steps and breakpoints
 * make, events listed with their numbers, records written to an output.
 *
 * <p>The target is a raw image holding the bytes HyperDbg's pages display: the 0x80 bytes its {@code db}, {@code dc}
 * and {@code dq} examples show at fffff800`3ad6f010 (the start of nt!ExAllocatePoolWithTag), entered at them. The
 * agent runs user code, so Windows's kernel addresses are moved to the lower half, at 00007ff6`2c901010, the page of
 * the address of HyperDbg's {@code sd} example, which therefore runs verbatim ({@link #DOC_ADDRESSES}); file paths
 * become files of a temporary directory, and the host and port of {@code .connect} the agent's. Everything else is
 * HyperDbg's text.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PastedExamplesIT {
    private static final long BASE = 0x7ff62c901000L;
    private static final long ENTRY = BASE + 0x10;
    /** What HyperDbg's db, dc and dq pages show at fffff800`3ad6f010 (the three dumps agree). */
    private static final String DOC_BYTES = "48895c240848896c2410488974241857415641574883ec3065488b04252000000033db440fb7"
            + "3dc53f2000418be8488bf2895c24688bf94c8b88c0000000450fb7b192000000418bc6448bc8895c2420448bc5488bd68bcfe89336cc"
            + "ff4885c00f8438000000488bd8488b6c2458488bc3488b5c2450488b7424604883c43041";

    /** The Windows addresses of HyperDbg's examples and where the same bytes are here. */
    private static final Map<String, String> DOC_ADDRESSES = new LinkedHashMap<>();

    static {
        DOC_ADDRESSES.put("fffff800`3ad6f010", "00007ff6`2c901010"); // db dc dd dq u eb ed eq pages
        DOC_ADDRESSES.put("fffff807`7356f010", "00007ff6`2c901010"); // sb sq page
        DOC_ADDRESSES.put("fffff801`639b1035", "00007ff6`2c901015"); // bp page: nt!ExAllocatePoolWithTag+5, the same code
        DOC_ADDRESSES.put("fffff801`639b103a", "00007ff6`2c90101a");
        DOC_ADDRESSES.put("fffff801`639b103f", "00007ff6`2c90101f");
        DOC_ADDRESSES.put("fffff800`4ed6f010", "00007ff6`2c901020"); // epthook page
        DOC_ADDRESSES.put("fffff801deadbeef", "00007ff62c901024"); // epthook, epthook2 pages
        DOC_ADDRESSES.put("nt!ExAllocatePoolWithTag", "00007ff6`2c901010"); // output page
    }

    @TempDir
    Path dir;

    private final List<String> docLines = new ArrayList<>();
    private final StringBuilder script = new StringBuilder();

    /** A line as HyperDbg's documentation writes it, its addresses and paths moved here. */
    private void doc(String line) {
        docLines.add(line);
        String here = line;
        for (var e : DOC_ADDRESSES.entrySet()) {
            here = here.replace(e.getKey(), e.getValue());
        }
        here = here.replace("c:\\users\\sina\\desktop\\output.txt", dir.resolve("output.txt").toString())
                .replace("\\\\.\\Pipe\\HyperDbgOutput", dir.resolve("HyperDbgOutput").toString())
                .replace("c:\\users\\sina\\desktop\\log.txt", dir.resolve("log.txt").toString())
                .replace("C:\\My HyperDbg Scripts\\Hello World.ds", dir.resolve("My HyperDbg Scripts/Hello World.ds").toString());
        script.append(here).append('\n');
    }

    /** A line of hdbg's own, in HyperDbg's syntax, that sets up or reads back what a pasted line did. */
    private void check(String line) {
        script.append(line).append('\n');
    }

    @Test
    void hyperDbgsDocumentedExamplesWorkWithTheirMeaning() throws Exception {
        byte[] image = new byte[0x11000];
        byte[] code = HexFormat.of().parseHex(DOC_BYTES);
        System.arraycopy(code, 0, image, 0x10, code.length);
        System.arraycopy(HexFormat.of().parseHex("4985ccf0"), 0, image, 0x6ad, 4); // sd's f0cc8549 at 7FF62C9016AD
        Path file = dir.resolve("ntoskrnl.exe");
        Files.write(file, image);
        Path scripts = Files.createDirectories(dir.resolve("My HyperDbg Scripts"));
        // debugger-script.md's Example 1, after a comment in HyperDbg's C style
        Files.writeString(scripts.resolve("Hello World.ds"), """
                // Hello World.ds: HyperDbg's batch scripts take C comments
                ? {\t
                \tprintf("Hello World\\n");
                \tprintf("The first argument is : %llx\\n", $arg1);
                \tprintf("Result of rax + rbx is : %llx\\n", $arg2);
                }
                """);
        assertThat(new ProcessBuilder("mkfifo", dir.resolve("HyperDbgOutput").toString()).start().waitFor()).isZero();

        try (AgentProcess agent = AgentProcess.start("--image", file.toString(), "--base", Long.toHexString(BASE),
                "--entry", Long.toHexString(ENTRY))) {
            doc(".logopen c:\\users\\sina\\desktop\\log.txt");
            // d.md, u.md, s.md, lm.md: reading memory
            doc("db fffff800`3ad6f010 l 50 pid 4");
            doc("dc fffff800`3ad6f010");
            doc("dd fffff800`3ad6f010 l 10");
            doc("dq fffff800`3ad6f010");
            doc("u fffff800`3ad6f010 l 50 pid 4");
            doc("u fffff800`3ad6f010");
            check("u32 00007ff6`2c901010 l 10"); // u32 @eip is HyperDbg's example for a 32-bit program's EIP
            doc("sb fffff807`7356f010 l ffff 41 56 41 57 48");
            doc("sd 7FF62C9016AD pid 1dd0 l fff f0cc8549");
            doc("sq fffff807`7356f010 l 100 0f450000`00c0888b 8b410000`0092b1b7");
            doc("lm");
            // r.md, eval.md, print.md: registers and expressions
            doc("r rax = 10");
            doc("r rax");
            doc("r rcx = rax + rdx + 10");
            check("r rcx rdx");
            doc("r cs");
            doc("? @rax = 0x55;");
            check("r rax");
            doc("? @zf = 1;");
            check("r zf");
            doc("? @ebx = @ecx + 10 + @ax;");
            check("r ebx ecx ax");
            doc("print @rax");
            doc("? printf(\"The RAX register is: %llx at Process Name: %s (pid: %x)\", @rax, $pname, $pid);");
            doc(".script \"C:\\My HyperDbg Scripts\\Hello World.ds\" 0x55 @rax+@rbx");
            check("? @rax+@rbx");
            // t.md, p.md, i.md: stepping through HyperDbg's nt!ExAllocatePoolWithTag
            check("r rsp");
            doc("t");
            doc("tr");
            doc("t 5");
            check("r rsp");
            check("r rip = 00007ff6`2c901010");
            check("r rsp = rsp + 48");
            doc("p");
            doc("pr");
            doc("p 5");
            check("r rip = 00007ff6`2c901010");
            check("r rsp = rsp + 48");
            doc("i");
            doc("ir");
            doc("i 5");
            check("r rip = 00007ff6`2c901010");
            check("r rsp = rsp + 48");
            // bp.md, bl.md, bd.md, be.md, bc.md
            doc("bp fffff801`639b1035");
            doc("bp fffff801`639b103a");
            doc("bp fffff801`639b103f");
            doc("bl");
            doc("bd 2");
            doc("be 2");
            doc("bc 2");
            check("bl");
            check("g");
            check("g");
            check("bc 1");
            check("bc 3");
            check("r rip = 00007ff6`2c901010");
            // the extension commands' pages, and events.md
            doc("!epthook fffff800`4ed6f010");
            doc("!epthook fffff801deadbeef code {90 90 90}");
            doc("!epthook2 fffff801deadbeef code {90 90 90}");
            doc("!monitor rwx 00007ff8`349f2000 00007ff8`349f8000");
            doc("!cpuid pid 490 code {90 90 90}");
            doc("!msrread 0xc0000082 code {90 90 90} condition {90 90 90}");
            doc("!msrwrite 0xc0000082 code {90 90 90}");
            doc("!tsc pid 490 code {90 90 90} condition {90 90 90}");
            doc("!pmc pid 490 code {90 90 90}");
            doc("!vmcall pid 490 code {90 90 90}");
            doc("!ioin 0x3f8");
            doc("!ioout 0x3f8 code {90 90 90}");
            doc("!exception 0xe");
            doc("!interrupt 0x25 code {90 90 90}");
            doc("!dr pid 490 code {90 90 90}");
            doc("!crwrite 0 0x10000");
            doc("!crwrite 4 pid 400");
            doc("!xsetbv pid 490 code {90 90 90}");
            doc("!syscall 55 pid 490 code {90 90 90}");
            doc("!sysret pid 490 code {90 90 90}");
            doc("events");
            doc("events d 1");
            check("events");
            doc("events e all");
            doc("events c 1");
            check("events");
            check("g");
            check("g");
            doc("events c all");
            doc("!cpuid");
            // output.md: event forwarding
            doc("output create MyOutputName1 file c:\\users\\sina\\desktop\\output.txt");
            doc("output create MyOutputName2 tcp 192.168.1.10:8080");
            doc("output create MyOutputName3 namedpipe \\\\.\\Pipe\\HyperDbgOutput");
            doc("output open MyOutputName1");
            doc("output");
            // the page fault !exception 0xe broke on is still to be delivered: g hands it to the guest, which has no
            // handler (a raw image), and the target stops with it; then it runs from HyperDbg's code again
            check("g");
            check("r rip = 00007ff6`2c901010");
            doc("!epthook nt!ExAllocatePoolWithTag script {\n\tprintf(\"Pool allocation called!\");\n} output { MyOutputName1 }");
            check("g");
            doc("output close MyOutputName1");
            check("output open MyOutputName1");
            // e.md: editing memory, then HyperDbg's bytes written back
            doc("eb fffff800`3ad6f010 90 90 90");
            check("db 00007ff6`2c901010 l 4");
            doc("ed fffff800`3ad6f010 245C8948");
            check("db 00007ff6`2c901010 l 4");
            doc("eq fffff800`3ad6f010 88889898`85858686 92929393`97979898");
            check("dq 00007ff6`2c901010 l 10");
            check("eq 00007ff6`2c901010 6C894808`245C8948 57182474`89481024");
            check("db 00007ff6`2c901010 l 10");
            // the meta commands
            doc(".status");
            doc(".logclose");
            check(".connect 127.0.0.1 " + agent.port()); // .connect 192.168.1.5 50001, at the agent's address
            HdbgBatch run = HdbgBatch.run(dir, agent, script.toString());
            Session s = new Session(run);

            // one failure only: a closed output cannot be opened again, as in HyperDbg
            assertThat(run.lines()).as(run.out()).filteredOn(l -> l.startsWith("error:")).containsExactly(
                    "error: output MyOutputName1 was closed and cannot be opened again, as in HyperDbg; create another "
                            + "with the same target: output create NEWNAME file " + dir.resolve("output.txt"));
            assertThat(docLines).hasSizeGreaterThanOrEqualTo(40);

            // db l 50: 0x50 bytes, five lines, HyperDbg's bytes
            assertThat(s.bytes("db 00007ff6`2c901010 l 50 pid 4")).isEqualTo(HexFormat.of().formatHex(code, 0, 0x50));
            // dc and dq without l: HyperDbg's default 0x80 bytes, its dwords and qwords
            assertThat(s.words("dc 00007ff6`2c901010")).hasSize(0x20).startsWith("245c8948", "6c894808")
                    .endsWith("48602474", "4130c483");
            assertThat(s.words("dd 00007ff6`2c901010 l 10")).containsExactly("245c8948", "6c894808", "89481024", "57182474");
            assertThat(s.words("dq 00007ff6`2c901010")).hasSize(0x10).startsWith("6c894808245c8948")
                    .contains("0f45000000c0888b").endsWith("4130c48348602474");
            // u l 50: the 19 instructions HyperDbg's page lists, the last ending at the 0x50th byte; u: 0x40 bytes, 15
            assertThat(s.addresses("u 00007ff6`2c901010 l 50 pid 4")).containsExactly(0x10, 0x15, 0x1a, 0x1f, 0x20, 0x22,
                    0x24, 0x28, 0x31, 0x33, 0x3b, 0x3e, 0x41, 0x45, 0x47, 0x4e, 0x56, 0x59, 0x5c);
            assertThat(s.output("u 00007ff6`2c901010 l 50 pid 4").getFirst()).matches("00007ff62c901010  48895c2408 +mov qword ptr \\[rsp \\+ 8], rbx");
            assertThat(s.addresses("u 00007ff6`2c901010")).hasSize(15).endsWith(0x47);
            // u32: the same bytes as x86-32 code, where 48 is dec eax
            assertThat(s.output("u32 00007ff6`2c901010 l 10")).startsWith("00007ff62c901010  48                dec eax",
                    "00007ff62c901011  895c2408          mov dword ptr [esp + 8], ebx");
            // the searches: each hit where HyperDbg's pattern is
            assertThat(s.hits("sb 00007ff6`2c901010 l ffff 41 56 41 57 48")).containsExactly(BASE + 0x20);
            assertThat(s.hits("sd 7FF62C9016AD pid 1dd0 l fff f0cc8549")).containsExactly(0x7FF62C9016ADL);
            assertThat(s.hits("sq 00007ff6`2c901010 l 100 0f450000`00c0888b 8b410000`0092b1b7")).containsExactly(BASE + 0x48);
            assertThat(s.output("lm")).anySatisfy(l -> assertThat(l).endsWith("ntoskrnl.exe"));

            // r: set, read, expressions of registers, numbers hex
            assertThat(s.output("r rax")).containsExactly("   rax=0000000000000010");
            Map<String, Long> rcxRdx = s.registers("r rcx rdx");
            assertThat(rcxRdx.get("rcx")).isEqualTo(0x10 + rcxRdx.get("rdx") + 0x10);
            assertThat(s.registers("r cs").get("cs")).isNotZero();
            // ?: HyperDbg's statements without braces change registers and flags; its parts of registers
            assertThat(s.registers("r rax", 1).get("rax")).isEqualTo(0x55);
            assertThat(s.output("r zf")).containsExactly("zf=1");
            Map<String, Long> parts = s.registers("r ebx ecx ax");
            assertThat(parts.get("ebx")).isEqualTo((parts.get("ecx") + 0x10 + parts.get("ax")) & 0xffffffffL);
            assertThat(s.output("print @rax")).containsExactly("55");
            assertThat(s.output("? printf(\"The RAX register is: %llx at Process Name: %s (pid: %x)\", @rax, $pname, $pid);"))
                    .containsExactly("The RAX register is: 55 at Process Name: ntoskrnl.exe (pid: 1)");
            long sum = Long.parseUnsignedLong(s.output("? @rax+@rbx").getFirst().replaceAll("Evaluate expression: 0x(\\S+) .*", "$1"), 16);
            assertThat(run.out()).contains("Hello World\nThe first argument is : 55\nResult of rax + rbx is : "
                    + Long.toHexString(sum) + "\n");

            // t, tr, t 5; p, pr, p 5; i, ir, i 5: one stop a step, seven steps each
            List<Long> steps = s.steppedTo();
            List<Long> seven = List.of(0x15L, 0x1aL, 0x1fL, 0x20L, 0x22L, 0x24L, 0x28L).stream().map(o -> BASE + o).toList();
            assertThat(steps.subList(0, 21)).isEqualTo(concat(seven, seven, seven));
            assertThat(s.registers("r rsp", 0).get("rsp") - s.registers("r rsp", 1).get("rsp")).isEqualTo(0x48); // 3 pushes, sub 30

            // breakpoints: 2 disabled, enabled, cleared; g stops at 1, then at 3
            assertThat(s.output("bl", 0)).hasSize(3);
            assertThat(s.output("bl", 1)).hasSize(2).noneMatch(l -> l.contains("000000002c90101a"));
            assertThat(s.breaks()).contains("breakpoint 1 hit at rip 0x7ff62c901015", "breakpoint 3 hit at rip 0x7ff62c90101f");

            // events: numbered from 0 in hex as HyperDbg shows them; cleared ids are not reused
            assertThat(s.output("!epthook 00007ff6`2c901020")).containsExactly("event 0 added with action 1");
            assertThat(s.output("!sysret pid 490 code {90 90 90}")).containsExactly("event 13 added with action 14");
            List<String> listed = s.output("events", 0);
            assertThat(listed).hasSize(1 + 0x14);
            assertThat(listed.get(0x11)).startsWith("10   enabled  !crwrite   cr4 pid 400");
            assertThat(listed.get(0x10)).startsWith("f    enabled  !crwrite   cr0 mask 0x10000");
            assertThat(s.output("events", 1).get(2)).startsWith("1    disabled !epthook   0x7ff62c901024");
            assertThat(s.output("events", 2)).hasSize(0x14).noneMatch(l -> l.startsWith("1 "));
            // g: the hook at +0x20 breaks; then the page fault at +0x28 (mov rax, gs:[0x20]) is !exception 0xe's
            assertThat(s.breaks()).contains("event 0 (!epthook, context 0x7ff62c901020) at rip 0x7ff62c901020",
                    "event c (!exception, context 0xe) at rip 0x7ff62c901028");
            assertThat(s.output("events c all").getFirst()).startsWith("cleared events 0, 2, 3");
            assertThat(s.output("!cpuid")).containsExactly("event 14 added with action 15");

            // eb, ed, eq
            assertThat(s.bytes("db 00007ff6`2c901010 l 4", 0)).isEqualTo("90909024");
            assertThat(s.bytes("db 00007ff6`2c901010 l 4", 1)).isEqualTo("48895c24");
            assertThat(s.words("dq 00007ff6`2c901010 l 10")).containsExactly("8888989885858686", "9292939397979898");
            assertThat(s.bytes("db 00007ff6`2c901010 l 10")).isEqualTo(HexFormat.of().formatHex(code, 0, 0x10));

            // output: three sources listed, the file one receives the script's text
            assertThat(s.output("output")).containsExactly(
                    "1  file        opened           MyOutputName1  " + dir.resolve("output.txt"),
                    "2  tcp         not opened       MyOutputName2  192.168.1.10:8080",
                    "3  namedpipe   not opened       MyOutputName3  " + dir.resolve("HyperDbgOutput"));
            assertThat(Files.readString(dir.resolve("output.txt"))).as(run.out()).isEqualTo("Pool allocation called!\n");

            // the meta commands: the log has what was shown between .logopen and .logclose
            assertThat(Files.readString(dir.resolve("log.txt"))).contains("db 00007ff6`2c901010 l 50 pid 4", "Hello World",
                    "hdbg> .status");
            assertThat(s.output(".connect 127.0.0.1 " + agent.port()).getFirst()).startsWith("connected to 127.0.0.1:" + agent.port());
        }
    }

    @SafeVarargs
    private static List<Long> concat(List<Long>... lists) {
        List<Long> all = new ArrayList<>();
        for (List<Long> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    /** The session's output, by command. */
    private record Session(HdbgBatch run) {
        private static final Pattern STEPPED = Pattern.compile("\\[break +#\\d+] stepped \\([tp]\\) to rip 0x([0-9a-f]+).*");
        private static final Pattern BREAK = Pattern.compile("\\[break +#\\d+] (.*)");
        private static final Pattern REGISTER = Pattern.compile("([a-z0-9_]+)=([0-9a-f]+)");

        List<String> output(String command) {
            return output(command, 0);
        }

        /** The lines after the {@code occurrence}-th (0-based) echo of {@code command}, up to the next command. */
        List<String> output(String command, int occurrence) {
            List<String> lines = run.lines();
            int at = -1;
            for (int seen = -1; seen < occurrence; seen++) {
                at = lines.subList(at + 1, lines.size()).indexOf("hdbg> " + command) + at + 1;
                assertThat(at).as("no '%s' (#%d) in %s", command, occurrence, run.out()).isGreaterThan(seen < 0 ? -1 : 0);
            }
            List<String> output = new ArrayList<>();
            for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("hdbg> "); i++) {
                output.add(lines.get(i));
            }
            return output;
        }

        /** The bytes of a db listing, as hex. */
        String bytes(String command) {
            return bytes(command, 0);
        }

        String bytes(String command, int occurrence) {
            StringBuilder hex = new StringBuilder();
            for (String line : output(command, occurrence)) {
                String columns = line.substring(18, Math.min(line.length(), 18 + 16 * 3)).strip();
                hex.append(columns.replace(" ", ""));
            }
            return hex.toString();
        }

        /** The values of a dc, dd or dq listing, without the addresses and characters. */
        List<String> words(String command) {
            List<String> words = new ArrayList<>();
            for (String line : output(command)) {
                String[] parts = line.substring(18).split(" +");
                for (String p : parts) {
                    if (p.matches("[0-9a-f]{8}|[0-9a-f]{16}")) {
                        words.add(p);
                    }
                }
            }
            return words;
        }

        /** The offsets from BASE of the instructions a u listing shows. */
        List<Integer> addresses(String command) {
            return output(command).stream().map(l -> (int) (Long.parseUnsignedLong(l.substring(0, 16), 16) - BASE)).toList();
        }

        /** The addresses a search found. */
        List<Long> hits(String command) {
            return output(command).stream().map(l -> Long.parseUnsignedLong(l.substring(0, 16), 16)).toList();
        }

        Map<String, Long> registers(String command) {
            return registers(command, 0);
        }

        Map<String, Long> registers(String command, int occurrence) {
            Map<String, Long> values = new LinkedHashMap<>();
            for (String line : output(command, occurrence)) {
                Matcher m = REGISTER.matcher(line);
                while (m.find()) {
                    values.put(m.group(1), Long.parseUnsignedLong(m.group(2), 16));
                }
            }
            return values;
        }

        List<Long> steppedTo() {
            return run.lines().stream().map(STEPPED::matcher).filter(Matcher::matches)
                    .map(m -> Long.parseUnsignedLong(m.group(1), 16)).toList();
        }

        List<String> breaks() {
            return run.lines().stream().map(BREAK::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
        }
    }
}
