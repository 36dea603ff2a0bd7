package dev.hdbg.agent.os.linux;

/**
 * Where the guest's standard output and error go. Called on the execution thread, once per {@code write} or
 * {@code writev} (a {@code writev} arrives as one array, as a pipe delivers it atomically); the array is the
 * implementation's to keep.
 */
public interface ProcessIo {
    /** Bytes the guest wrote to fd 1 (or a descriptor duplicated from it). */
    void stdout(byte[] data);

    /** Bytes the guest wrote to fd 2 (or a descriptor duplicated from it). */
    void stderr(byte[] data);

    /**
     * Something the user should know about the emulation: a call refused because what it asks for is not emulated,
     * a wait that could never end natively. Ignored unless an implementation shows it.
     */
    default void notice(String message) {
    }
}
