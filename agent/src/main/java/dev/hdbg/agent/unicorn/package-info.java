/**
 * A thin, typed binding over Unicorn 2.0.1 ({@code libunicorn.so.2}) for x86-64, through the Foreign Function
 * &amp; Memory API: {@link dev.hdbg.agent.unicorn.Unicorn} and its value types. No debugger logic lives here.
 *
 * <h2>Threads</h2>
 * An engine is not thread-safe: one thread uses it, the one calling {@code emuStart}, on which every hook
 * callback runs too. {@code emuStop()} may be called from any thread at any time, and {@code close()} from
 * another thread once the emulating thread is done with the engine.
 *
 * <h2>Translated code</h2>
 * Unicorn translates guest code into blocks and, in 2.0.1, keeps them longer than its API implies. The binding
 * drops them where the API's meaning requires it: hooks take effect, and stop, as soon as they are added or
 * removed, also in code that already ran; {@code count} and {@code until} of {@code emuStart} hold on every run;
 * {@code memUnmap} and {@code memProtect} apply to code that already ran. {@code memWrite} drops nothing, like
 * {@code uc_mem_write}: after changing code bytes, call {@code removeCache}.
 *
 * <h2>What a code hook's instruction does (measured on 2.0.1)</h2>
 * <ul>
 * <li>A code hook runs before its instruction executes.</li>
 * <li>{@code emuStop()} in the callback prevents the instruction: {@code emuStart} returns with RIP at it, and
 *     starting there again fires the hook again.</li>
 * <li>Writing RIP in the callback abandons the instruction and goes on at the new RIP at once. It also cancels
 *     an {@code emuStop()} made in the same callback; writing RIP's current value re-runs the hook, forever.</li>
 * <li>An invalid-instruction callback that returns true ends {@code emuStart} normally instead of going on.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * A {@code uc_err} other than OK becomes a {@link dev.hdbg.agent.unicorn.UnicornException} carrying
 * {@code uc_strerror}'s text. A throwable thrown by a hook callback never reaches native code: it stops the
 * emulation and {@code emuStart} rethrows it as the cause of a {@code UnicornException}.
 */
package dev.hdbg.agent.unicorn;
