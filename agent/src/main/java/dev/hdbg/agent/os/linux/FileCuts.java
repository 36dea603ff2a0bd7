package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Before the program cuts a host file (ftruncate, truncate, an open with O_TRUNC): the pages of its shared mappings
 * past the new end stop being the file's ({@link GuestMemory#fileShrinking}), so that the emulator, which reads them
 * directly, never touches a page past the file's end (the host would raise SIGBUS in the agent).
 */
final class FileCuts {
    private FileCuts() {
    }

    /** {@code file} is about to be cut to {@code length} bytes. */
    static void before(GuestMemory memory, HostFile file, long length) throws IOException {
        if (memory.mapsFiles() && length >= 0 && length < file.size()) {
            memory.fileShrinking(file.fileKey(), length);
        }
    }

    /** The host file at {@code host} is about to be cut to {@code length} bytes. */
    static void before(GuestMemory memory, Path host, long length) {
        if (!memory.mapsFiles()) {
            return;
        }
        byte[] stat;
        try {
            stat = Stat.of(host, true);
        } catch (SyscallException e) {
            return; // no file there yet: nothing of it is mapped
        }
        if (length < Stat.size(stat)) {
            memory.fileShrinking(Stat.id(stat), length);
        }
    }
}
