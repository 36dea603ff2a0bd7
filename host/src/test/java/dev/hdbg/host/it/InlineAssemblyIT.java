package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code asm code {...}}, {@code asm condition {...}} and {@code a}, assembled by the real GNU assembler, against a
 * real agent: the assembled clause must do exactly what its hex form does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InlineAssemblyIT {
    private static final Pattern EVENT_ADDED = Pattern.compile("^\\{\"type\":\"event\",\"event\":(\\d+),");
    private static final Pattern DATA = Pattern.compile("\"data\":\"([0-9a-f]*)\"");

    @TempDir
    Path dir;

    @Test
    void anAssembledCodeClauseBehavesAsItsHexFormAndAnAssemblyErrorAddsNothing() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !epthook 400040 code {48 ff 01 48 89 c8 c3} buffer 8
                    !epthook 400040 asm code { inc qword ptr [rcx]; mov rax, rcx; ret } buffer 8
                    !epthook 400040 asm code { inc qword ptr [rcx]; movv rax, rcx; ret } buffer 8
                    !epthook 400040 asm condition { mov rax, [rcx+0x38]; cmp rax, 7
                                                    sete al; movzx rax, al }
                    events
                    g
                    """, "--json");

            List<String> lines = run.lines();
            List<Long> added = lines.stream().map(EVENT_ADDED::matcher).filter(Matcher::find)
                    .map(m -> Long.parseLong(m.group(1))).toList();
            assertThat(added).as(run.out()).hasSize(3);
            assertThat(lines).as("the assembler's error names the statement, and the event was not added")
                    .anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"error\"")
                            .contains("asm code: assembly error", "statement 2 'movv rax, rcx'", "no such instruction"));
            String events = lines.stream().filter(l -> l.startsWith("{\"type\":\"events\"")).findFirst().orElseThrow();
            assertThat(events.split("\"command\":\"!epthook\"", -1)).as(events).hasSize(3 + 1);
            List<String> hex = buffers(lines, added.get(0));
            List<String> asm = buffers(lines, added.get(1));
            // rdi = 0 .. 7: the condition (GUEST_REGS.rdi == 7, RCX = GUEST_REGS) breaks in at the eighth call
            assertThat(hex).as(run.out()).hasSize(8).first().isEqualTo("0100000000000000");
            assertThat(asm).isEqualTo(hex);
            // the assembled condition (rdi == 7) broke in, as its hex form does in CommandLineIT
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"break\"")
                    .contains("\"event\":" + added.get(2), "\"rip\":\"0x400040\""));
        }
    }

    @Test
    void aAssemblesAtItsAddressAndWritesGuestMemory() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    a {nop; xor rax, rax; nop}
                    a 400000 call 0x400040; nop
                    db 400000 l6
                    a 400000 {nop; bogus rax}
                    db 400000 l6
                    a 400040 {
                        mov rax, [rbx]
                        jmp 0x400000 }
                    db 400040 l6
                    """);

            assertThat(run.out()).contains(
                    "warning, no start address provided to calculate relative asm commands",
                    "generated assembly: 5 bytes, 3 statements ==>> nop; xor rax, rax; nop = 90 48 31 c0 90",
                    // call 0x400040 from 0x400000: rel32 = 0x400040 - 0x400005
                    "generated assembly: 6 bytes, 2 statements ==>> call 0x400040; nop = e8 3b 00 00 00 90",
                    "successfully assembled at 0x400000 address",
                    // over two lines; a jump to an absolute address is near (rel32): 0x400000 - 0x400048
                    "generated assembly: 8 bytes, 2 statements ==>> mov rax, [rbx]; jmp 0x400000 = 48 8b 03 e9 b8 ff ff ff",
                    "error: assembly error, nothing was done:\n  statement 2 'bogus rax': no such instruction");
            assertThat(run.lines()).as("db shows the bytes, before and after the error").filteredOn(
                    l -> l.startsWith("0000000000400000  e8 3b 00 00 00 90")).hasSize(2);
            assertThat(run.lines()).contains("0000000000400040  48 8b 03 e9 b8 ff                                H.....");
        }
    }

    /** The data of the event's buffer records, in order. */
    private static List<String> buffers(List<String> lines, long event) {
        return lines.stream().filter(l -> l.startsWith("{\"type\":\"buffer\"") && l.contains("\"event\":" + event + ","))
                .map(DATA::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    }
}
