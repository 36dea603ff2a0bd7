package dev.hdbg.host.cli;

import dev.hdbg.agent.AgentRuntime;
import dev.hdbg.agent.Target;
import dev.hdbg.agent.debugger.Delivery;
import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.agent.server.ServerOptions;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.client.DebuggerClient;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hdbg demo}: an agent in this process on the built-in {@code demo} sample, and a scripted
 * session that shows each kind of action. Everything goes through a real socket on 127.0.0.1.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs an agent in this process on the 'demo' sample and a scripted session showing a",
                "log action, custom code with a buffer, a conditional event and a break."})
final class DemoCommand implements Callable<Integer> {
    /** The script, with the narration a newcomer needs; '##' lines are shown, not run. */
    static final String SCRIPT = """
            ## The demo target calls add_item(i) for i = 0..9. add_item, at 0x400040, adds rdi to a counter
            ## at 0x400080. Then it executes CPUID leaf 1 and halts. It starts paused at its entry.
            r rip
            ##
            ## 1. A log action: each time add_item runs, record rdi, the counter in memory and the event's
            ##    context (the hooked address). imm no: records are batched, as HyperDbg does by default
            ##    for busy events.
            !epthook 400040 log {rdi [400080]:8 $context} imm no
            ##
            ## 2. Custom code with a requested buffer of 8 bytes. The agent runs it in its private
            ##    vmx-root context with RCX = the buffer, RDX = GUEST_REGS, R8 = the context:
            ##      48 ff 01   inc qword [rcx]    count the calls in the buffer (kept across triggers)
            ##      48 89 c8   mov rax, rcx       return the buffer: its 8 bytes are sent to us
            !epthook 400040 code {48 ff 01 48 89 c8} buffer 8
            ##
            ## 3. A conditional event that breaks: the condition gets RCX = GUEST_REGS and holds when it
            ##    returns RAX != 0. rdi sits at GUEST_REGS+0x38, so this breaks when rdi == 7:
            ##      48 8b 41 38  mov rax, [rcx+0x38] ; 48 83 f8 07  cmp rax, 7 ; 0f 94 c0  sete al ; 48 0f b6 c0  movzx rax, al
            !epthook 400040 condition {48 8b 41 38 48 83 f8 07 0f 94 c0 48 0f b6 c0}
            ##
            ## 4. A CPUID event whose custom code changes the guest's R13 through GUEST_REGS (offset 0x68):
            ##      48 c7 42 68 37 13 00 00   mov qword [rdx+0x68], 0x1337
            !cpuid 1 code {48 c7 42 68 37 13 00 00}
            events
            ##
            ## Run. Logs and buffers arrive until the condition holds and the target breaks.
            g
            r rdi
            dq 400080 L1
            ##
            ## Run to the end: the remaining calls, the CPUID, then hlt. RAX holds the sum (0x2d).
            g
            r rax r13
            events
            """;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print one JSON object a line instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        OutputFormat format = OutputFormat.of(json);
        Output output = format.on(out, address -> Optional.empty());
        ServerOptions loopback = new ServerOptions("127.0.0.1", 0, Optional.empty(), false);
        try (AgentRuntime agent = AgentRuntime.start(Target.sample("demo"), loopback, Limits.DEFAULT, Delivery.DEFAULT)) {
            output.note("hdbg demo: agent listening on 127.0.0.1:" + agent.address().getPort() + " with the 'demo' sample");
            DebuggerClient client = DebuggerClient.connect("127.0.0.1", agent.address().getPort(), null);
            try (DebugSession session = new DebugSession(client, out, format)) {
                CommandShell shell = new CommandShell(session, true);
                int failures = 0;
                BufferedReader script = new BufferedReader(new StringReader(SCRIPT));
                String line;
                while ((line = script.readLine()) != null) {
                    if (line.startsWith("##")) {
                        output.note(line.length() > 3 ? line.substring(3) : "");
                        continue;
                    }
                    output.note("hdbg> " + line);
                    if (shell.execute(line) == CommandShell.Result.FAILED) {
                        failures++;
                    }
                }
                output.note(failures == 0 ? "demo finished." : "demo finished with " + failures + " failed command(s).");
                return failures == 0 ? 0 : 1;
            }
        }
    }
}
