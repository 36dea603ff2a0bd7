package dev.hdbg.agent.os.linux;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A thread's name as Linux keeps it ({@code comm}, {@code TASK_COMM_LEN}): at most 15 bytes and a NUL, what
 * {@code prctl(PR_SET_NAME)} sets, {@code PR_GET_NAME} and {@code /proc/PID/comm} read, and gdb lists per thread.
 */
final class Comm {
    /** TASK_COMM_LEN: the name's buffer, terminator included. */
    static final int LENGTH = 16;

    private Comm() {
    }

    /** A program's name: the last component of its path, cut to 15 bytes, NUL-padded to 16. */
    static byte[] of(String path) {
        return padded(name(path).getBytes(StandardCharsets.UTF_8));
    }

    /** A name as a program sets it: cut to 15 bytes, NUL-padded to 16. */
    static byte[] padded(byte[] name) {
        return Arrays.copyOf(name.length >= LENGTH ? Arrays.copyOf(name, LENGTH - 1) : name, LENGTH);
    }

    /** The last component of {@code path}, at most 15 bytes. */
    static String name(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        byte[] bytes = base.getBytes(StandardCharsets.UTF_8);
        return bytes.length < LENGTH ? base : new String(Arrays.copyOf(bytes, LENGTH - 1), StandardCharsets.UTF_8);
    }

    /** The name up to its NUL, as text. */
    static String text(byte[] comm) {
        int end = 0;
        while (end < comm.length && comm[end] != 0) {
            end++;
        }
        return new String(comm, 0, end, StandardCharsets.UTF_8);
    }
}
