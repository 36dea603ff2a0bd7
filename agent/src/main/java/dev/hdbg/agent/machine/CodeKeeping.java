package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.Unicorn;
import java.util.List;

/**
 * What keeps the code Unicorn translated on the engine across process switches and execs, for {@link GuestMemory}:
 * each program's translation context ({@link ContextPool}), the code of processes off the CPU left idle on the engine
 * ({@link IdleBlocks}), and the blocks of images loaded before ({@link ImageBlocks}). Without an engine that takes
 * contexts (another library than Debian's 2.0.1, or a CPU that is not Unicorn) every program is
 * {@link ContextPool#UNKEPT}, nothing idles and nothing is cached: blocks leave the engine at every switch, as before.
 */
final class CodeKeeping {
    private final Unicorn engine; // null when disabled
    private final ContextPool contexts;
    private final BlockContexts ran = new BlockContexts();
    private final IdleBlocks idle;
    private final ImageBlocks images;
    /** The translation context of the process on the CPU. */
    private int context;
    /** Whether no code has been mapped in the current context yet: an exec's may still join a cached image's. */
    private boolean fresh = true;

    private CodeKeeping(Unicorn engine) {
        this.engine = engine;
        this.contexts = new ContextPool(engine != null);
        this.idle = engine != null ? new IdleBlocks(engine, ran) : null;
        this.images = engine != null ? new ImageBlocks() : null;
        this.context = contexts.first();
    }

    /** For {@code cpu}: enabled when it is a Unicorn engine whose library takes contexts. */
    static CodeKeeping of(Cpu cpu) {
        boolean takesContexts = cpu instanceof UnicornCpu && Unicorn.translationContextsRefused().isEmpty();
        return new CodeKeeping(takesContexts ? ((UnicornCpu) cpu).unicorn() : null);
    }

    boolean enabled() {
        return engine != null;
    }

    int context() {
        return context;
    }

    /** A new context for a program an exec is about to load, in which code may still join a cached image's. */
    int newProgram() {
        fresh = true;
        return contexts.allocate();
    }

    /** One more address space holds {@code c} (a fork's copy). */
    void retain(int c) {
        contexts.retain(c);
    }

    /** An address space holding {@code c} is gone. */
    void release(int c) {
        contexts.release(c);
    }

    /** Whether a switch to a space of {@code incoming} context may leave the outgoing process's code idle. */
    boolean mayPark(int incoming) {
        return enabled() && incoming != context && context != ContextPool.UNKEPT;
    }

    /** Leaves {@code m} of the outgoing process on the engine as an idle block of the current context. */
    void park(GuestMapping m) {
        idle.park(m, context);
    }

    /**
     * A switch to {@code incoming}, of another context than the current one: the idle blocks it maps come back
     * (returned, to be woken with {@link #wake}), the other idle blocks that may hold code of its context leave the
     * engine.
     */
    List<GuestMapping> idleBlocksOf(AddressSpace incoming) {
        if (!enabled() || incoming.context() == context) {
            return List.of();
        }
        return idle.takeFor(incoming.context(), incoming.mappings()::contains);
    }

    /**
     * {@code m} stays on the engine while the process of the current context leaves the CPU (a block both processes of
     * a switch map): code of that context may be translated from it.
     */
    void stays(GuestMapping m) {
        if (enabled()) {
            ran.add(m, context);
        }
    }

    /** {@code m} was cut into {@code slices} over the same memory (a library's mixed block). */
    void sliced(GuestMapping m, List<GuestMapping> slices) {
        if (enabled()) {
            ran.sliced(m, slices);
        }
    }

    /** {@code m} left the engine, and the code translated from it with it. */
    void tookOff(GuestMapping m) {
        if (enabled()) {
            ran.forget(m);
        }
    }

    /** {@link IdleBlocks#wake}. */
    void wake(GuestMapping m, List<MemoryRegion> regions) {
        idle.wake(m, regions);
    }

    /** The engine runs in {@code c} from now on. */
    void enter(int c) {
        if (c != context) {
            context = c;
            if (enabled()) {
                engine.translationContext(c);
            }
        }
    }

    /** A mapping of the process on the CPU needs [{@code address}, + {@code length}): idle blocks there leave. */
    void needRange(long address, long length, int perms) {
        if (enabled()) {
            idle.evictOverlapping(address, length);
        }
        if ((perms & Prot.EXEC) != 0) {
            fresh = false;
        }
    }

    /** {@code m}, of a space off the CPU, is about to be written or freed: if it idles on the engine, it leaves first. */
    void leaving(GuestMapping m) {
        if (enabled()) {
            idle.evictIfIdle(m);
        }
    }

    boolean isIdle(long address) {
        return enabled() && idle.covers(address);
    }

    int idleBlocks() {
        return enabled() ? idle.size() : 0;
    }

    /**
     * The cached block for {@code content} at {@code address} that the process on the CPU may map, or null; only when
     * {@link #enabled}. One of the process's own context first: its code translated there runs again. Else one of any
     * context: code of a block shared between contexts is translated in each, which only that context's look-ups find
     * ({@link BlockContexts}), and the block itself stays on the engine across switches between its holders.
     */
    ImageBlocks.Entry findImage(long address, int perms, byte[] content) {
        ImageBlocks.Entry own = images.find(address, perms, content, c -> c == context);
        return own != null ? own : images.find(address, perms, content, c -> true);
    }

    /**
     * The process maps the cached {@code entry}: the first code an exec maps makes the entry's context the process's
     * (the exec's new one, in which nothing ran, is let go), so that the code translated there runs again; later code
     * is shared without a change of context. Returns whether the block was idle on the engine (now taken back, to be
     * woken).
     */
    boolean join(ImageBlocks.Entry entry) {
        if ((entry.mapping().perms() & Prot.EXEC) != 0) {
            boolean first = fresh;
            fresh = false;
            if (first && entry.context() != context) {
                contexts.release(context);
                contexts.retain(entry.context());
                enter(entry.context());
            }
        }
        return idle.takeBack(entry.mapping());
    }

    /** Caches {@code block}, just loaded in the current context; returns the entries let go to make room. */
    List<ImageBlocks.Entry> remember(GuestMapping block) {
        contexts.retain(context);
        return images.add(block, context);
    }

    /** The exec's image is mapped: idle blocks of the context it joined that it did not map leave the engine. */
    void imageLoaded() {
        if (enabled()) {
            idle.takeFor(context, m -> false);
        }
    }

    int imageBlocks() {
        return enabled() ? images.size() : 0;
    }

    /** {@code .restart}: every idle block leaves; the cached entries are returned, to be let go. */
    List<ImageBlocks.Entry> clear() {
        if (!enabled()) {
            return List.of();
        }
        idle.evictAll();
        ran.clear();
        return images.clear();
    }
}
