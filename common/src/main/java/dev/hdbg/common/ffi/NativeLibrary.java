package dev.hdbg.common.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A Debian shared library the project calls through the Foreign Function & Memory API (libunicorn.so.2,
 * libcapstone.so.4): loaded once for the JVM's life, its functions linked by name. A library or function that is
 * missing is an {@link UnsatisfiedLinkError} saying which package to install, at the binding's class initialisation,
 * not a null handle found at the first call.
 */
@SuppressWarnings("restricted") // loading and linking a library is this class's job; the launchers enable native access
public final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final String name;
    private final SymbolLookup symbols;

    private NativeLibrary(String name, SymbolLookup symbols) {
        this.name = name;
        this.symbols = symbols;
    }

    /**
     * Loads {@code soname} (as the dynamic linker finds it) for the JVM's life.
     *
     * @throws UnsatisfiedLinkError naming the library and {@code debianPackage}, when it cannot be loaded
     */
    public static NativeLibrary load(String soname, String debianPackage) {
        try {
            return new NativeLibrary(soname, SymbolLookup.libraryLookup(soname, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new UnsatisfiedLinkError("cannot load " + soname + " (install it: apt-get install " + debianPackage
                    + "): " + e.getMessage());
        }
    }

    /**
     * A handle calling {@code function} with {@code descriptor}'s C signature.
     *
     * @throws UnsatisfiedLinkError when the library has no such function (a version older than the binding's)
     */
    public MethodHandle downcall(String function, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = symbols.find(function)
                .orElseThrow(() -> new UnsatisfiedLinkError(name + " has no " + function));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** The address of one of the library's exported symbols (zero-length), if it has it. */
    public Optional<MemorySegment> find(String symbol) {
        return symbols.find(symbol);
    }

    /** The library's name, as loaded. */
    public String name() {
        return name;
    }

    /**
     * For a downcall's {@code catch (Throwable t)}: {@code invokeExact} declares Throwable, but a downcall throws only
     * what the FFM runtime throws, all unchecked, which this passes on unchanged.
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("a downcall threw a checked exception", t);
    }
}
