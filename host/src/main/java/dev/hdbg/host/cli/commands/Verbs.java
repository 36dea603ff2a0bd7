package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.EventType;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Every verb of the debugger prompt, in one place: {@code help}, an event command for each event type of the
 * catalogue, then the others, one a line. Adding a verb is writing its class and adding its line here.
 */
final class Verbs {
    private Verbs() {
    }

    /**
     * @param waitForStops whether {@code g}, {@code t}, {@code p} and {@code gu} wait for the stop (batch mode, the demo)
     * @param shell        the shell {@code .script} runs its lines in
     */
    static List<CommandLine> of(DebugSession session, boolean waitForStops, CommandShell shell) {
        List<CommandLine> verbs = new ArrayList<>();
        verbs.add(new CommandLine(new HelpCommand(session))); // first, where picocli lists its own help command
        for (EventType type : EventType.values()) {
            verbs.add(event(session, type, type.command()));
        }
        // HyperDbg's second way to hook them takes every #UD for a SYSCALL or SYSRET without reading the instruction;
        // the agent sees each SYSCALL and SYSRET exactly, so both ways are the same event here.
        verbs.add(event(session, EventType.SYSCALL, "!syscall2"));
        verbs.add(event(session, EventType.SYSRET, "!sysret2"));
        for (Object verb : others(session, waitForStops, shell)) {
            verbs.add(new CommandLine(verb));
        }
        return verbs;
    }

    /** {@code !epthook}, {@code !monitor} ...: one class, named and described per event type. */
    private static CommandLine event(DebugSession session, EventType type, String name) {
        CommandLine event = new CommandLine(new EventCommand(session, type));
        event.getCommandSpec().name(name);
        event.getCommandSpec().usageMessage().description(EventHelp.of(type));
        return event;
    }

    private static List<Object> others(DebugSession s, boolean waitForStops, CommandShell shell) {
        return List.of(
                new EventsCommand(s),
                new GoCommand(s, waitForStops),
                new GoHandledCommand(s, waitForStops),
                new SignalFilterCommand.Enable(s),
                new SignalFilterCommand.Disable(s),
                new SignalFilterCommand.Listing(s),
                new ModulesCommand(s),
                new ExamineSymbolsCommand(s),
                new StepIntoCommand(s, waitForStops),
                new StepOverCommand(s, waitForStops),
                new InstrumentationStepCommand(s, waitForStops),
                new StepOutCommand(s, waitForStops),
                new BreakpointCommand(s),
                new BreakpointListCommand(s),
                new BcCommand(s),
                new BdCommand(s),
                new BeCommand(s),
                new PauseCommand(s),
                new RegistersCommand(s),
                new DbCommand(s),
                new DwCommand(s),
                new DdCommand(s),
                new DqCommand(s),
                new DcCommand(s),
                new DaCommand(s),
                new DuCommand(s),
                new DqsCommand(s),
                new SearchCommand(s),
                new HyperDbgSearchCommand.Bytes(s),
                new HyperDbgSearchCommand.DoubleWords(s),
                new HyperDbgSearchCommand.QuadWords(s),
                new StackCommand(s),
                new StackValuesCommand.DoubleWords(s),
                new StackValuesCommand.QuadWords(s),
                new MsrCommand.Read(s),
                new MsrCommand.Write(s),
                new CpuCommand(s),
                new TypeCommand.Dt(s),
                new TypeCommand.Struct(s),
                new FlushCommand(s),
                new EbCommand(s),
                new EwCommand(s),
                new EdCommand(s),
                new EqCommand(s),
                new AssembleCommand(s),
                new UCommand(s),
                new U32Command(s),
                new UfCommand(s),
                new TrackCommand(s),
                new FormatsCommand(s),
                new AddressTranslationCommand.Va2pa(s),
                new AddressTranslationCommand.Pa2va(s),
                new DumpCommand(s),
                new SleepCommand(s),
                new ClsCommand(s),
                new SettingsCommand(s),
                new EvaluateCommand(s),
                new PrintCommand(s),
                new StatusCommand(s),
                new CoreCommand(s),
                new ProcessCommand.Processes(s),
                new ProcessCommand.Threads(s),
                new ConnectCommand(s),
                new DisconnectCommand(s),
                new StartCommand(s),
                new RestartCommand(s),
                new KillCommand(s),
                new ScriptCommand(s, shell),
                new LogOpenCommand(s),
                new LogCloseCommand(s),
                new OutputCommand(s),
                new GdbCommand(s),
                new CommandShell.Exit());
    }
}
