package dev.hdbg.host.cli;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.output.Json;
import dev.hdbg.host.cli.output.JsonOutput;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.common.io.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code hdbg --resume FILE}: every record, one JSON line each (docs/json.md), appended to FILE before the host
 * acknowledges it; and where a host started again with the same FILE picks up. Because the file that holds the
 * records is also the resume point, a host killed at any instant (kill -9) neither loses nor repeats a record:
 * what reached the file is skipped when the agent sends it again, what did not is sent again since it was never
 * acknowledged, and a line cut short by the kill is removed on opening.
 *
 * <p>A line {@code {"type":"journal","agent_instance":"..."}} starts the records of each agent run, since
 * sequence numbers count within one run.
 */
public final class RecordJournal implements Consumer<DebuggerRecord>, AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private String instance;
    private long lastSeq;

    private RecordJournal(Path file, FileChannel channel, String instance, long lastSeq) {
        this.file = file;
        this.channel = channel;
        this.instance = instance;
        this.lastSeq = lastSeq;
    }

    /**
     * Opens FILE, creating it when missing, and drops a last line without its newline (a write the kill cut short).
     * Only the end of FILE is read, back to its last header ({@link JournalTail}), never the whole of it.
     *
     * @throws IOException when FILE cannot be read or written
     */
    public static RecordJournal open(Path file) throws IOException {
        return open(file, JournalTail.BLOCK);
    }

    /** {@link #open(Path)}, reading the end of FILE in blocks of {@code block} bytes. */
    static RecordJournal open(Path file, int block) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            JournalTail tail = JournalTail.read(channel, block);
            channel.truncate(tail.complete());
            channel.position(tail.complete());
            return new RecordJournal(file, channel, tail.instance(), tail.lastSeq());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Where the records in the file end: the agent run they came from and the last sequence number, if any. */
    public synchronized Optional<DebuggerClient.ResumePoint> resumePoint() {
        return instance == null ? Optional.empty() : Optional.of(new DebuggerClient.ResumePoint(instance, lastSeq));
    }

    /** A connection to agent run {@code agentInstance} starts: its records follow a header when the run is new. */
    public synchronized void begin(String agentInstance) {
        if (agentInstance.isEmpty() || agentInstance.equals(instance)) {
            return;
        }
        write(new Json().put("type", "journal").put("agent_instance", agentInstance).toString());
        instance = agentInstance;
        lastSeq = 0;
    }

    /** Appends the record, in one write, before the client acknowledges it. */
    @Override
    public synchronized void accept(DebuggerRecord record) {
        if (record.seq() <= lastSeq) {
            return;
        }
        write(JsonOutput.toJson(record).toString());
        lastSeq = record.seq();
    }

    private void write(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            // Not acknowledged, so the agent keeps the record: stopping here loses nothing.
            throw new UncheckedIOException("cannot append to the journal " + file + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
