package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.UnmappedAddressException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One system call's handler run, and what it ended in as the value RAX gets: the one place a failure becomes
 * {@code -errno}; a call that must wait ({@link Blocked}) puts its thread to sleep, to make the call again when woken;
 * a call a handler interrupts under SA_RESTART ({@link RestartCall}) says {@link #RESTART}.
 */
final class HandlerCalls {
    /** What {@link #call} returns for a {@link RestartCall}: no call's result (results are -4095 to 2^63 - 1). */
    static final long RESTART = Long.MIN_VALUE;

    private HandlerCalls() {
    }

    /**
     * Runs {@code handler} for the call {@code number} made at {@code rip}.
     *
     * @return the call's result or {@code -errno}; {@code number} when the thread now sleeps; {@link #RESTART}
     */
    static long call(LinuxProcess process, Handler handler, SyscallArgs args, long rip, long number) {
        long result;
        try {
            result = handler.call(args);
        } catch (Blocked e) {
            try {
                TimedWait wait = e.timedWait() != null ? e.timedWait()
                        : SocketTimeouts.waitFor(process, number, args.i(0)); // SO_RCVTIMEO, SO_SNDTIMEO
                process.scheduler().waitAndRestart(e.channel(), rip, number, wait);
                return number;
            } catch (SyscallException timedOut) {
                return -timedOut.errno();
            }
        } catch (RestartCall e) {
            result = RESTART;
        } catch (SyscallException e) {
            result = -e.errno();
        } catch (UnmappedAddressException e) {
            result = -Errno.EFAULT;
        } catch (IOException e) {
            result = -Errno.of(e);
        } catch (UncheckedIOException e) {
            result = -Errno.of(e.getCause());
        }
        SocketTimeouts.ended(process, number);
        return result;
    }
}
