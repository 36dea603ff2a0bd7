package dev.hdbg.common.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

class NativeLibraryTest {
    @Test
    void aFunctionOfALoadedLibraryIsCalledThroughItsHandle() throws Throwable {
        MethodHandle strlen = NativeLibrary.load("libc.so.6", "libc6")
                .downcall("strlen", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom("hdbg");

            assertThat((long) strlen.invokeExact(text)).isEqualTo(4);
        }
    }

    @Test
    void aMissingLibraryNamesThePackageToInstall() {
        assertThatThrownBy(() -> NativeLibrary.load("libhdbg-absent.so.9", "libhdbg-absent9"))
                .isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageStartingWith("cannot load libhdbg-absent.so.9 (install it: apt-get install libhdbg-absent9)");
    }

    @Test
    void aSymbolIsFoundByNameAndAnAbsentOneIsEmpty() {
        NativeLibrary libc = NativeLibrary.load("libc.so.6", "libc6");

        assertThat(libc.find("strlen")).get().matches(symbol -> symbol.address() != 0);
        assertThat(libc.find("hdbg_absent")).isEmpty();
    }

    @Test
    void aMissingFunctionNamesTheLibraryAndTheFunction() {
        NativeLibrary libc = NativeLibrary.load("libc.so.6", "libc6");

        assertThatThrownBy(() -> libc.downcall("hdbg_absent", FunctionDescriptor.ofVoid()))
                .isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessage("libc.so.6 has no hdbg_absent");
    }

    @Test
    void uncheckedThrowablesPassUnchangedAndACheckedOneIsWrapped() {
        IllegalArgumentException unchecked = new IllegalArgumentException("bad segment");
        OutOfMemoryError error = new OutOfMemoryError("native");
        IOException checked = new IOException("impossible");

        assertThatThrownBy(() -> NativeLibrary.rethrow(unchecked)).isSameAs(unchecked);
        assertThatThrownBy(() -> NativeLibrary.rethrow(error)).isSameAs(error);
        assertThatThrownBy(() -> NativeLibrary.rethrow(checked))
                .isInstanceOf(IllegalStateException.class).hasCause(checked);
    }
}
