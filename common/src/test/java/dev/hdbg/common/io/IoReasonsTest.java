package dev.hdbg.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoReasonsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryIsNamedAsTheOperatingSystemNamesIt() {
        IOException e = catchThrowableOfType(IOException.class,
                () -> Files.newBufferedWriter(dir.resolve("no/such/x"), StandardOpenOption.CREATE));
        assertThat(IoReasons.of(e)).isEqualTo("no such file or directory").doesNotContain(dir.toString());
    }

    @Test
    void aDirectoryOpenedAsAFileSaysSo() {
        IOException e = catchThrowableOfType(IOException.class, () -> Files.newBufferedWriter(dir, StandardOpenOption.APPEND));
        assertThat(IoReasons.of(e)).isEqualTo("is a directory");
    }

    @Test
    void aPathThroughAFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        IOException e = catchThrowableOfType(IOException.class,
                () -> Files.newBufferedWriter(file.resolve("y"), StandardOpenOption.CREATE));
        assertThat(IoReasons.of(e)).isEqualTo("not a directory");
    }

    @Test
    void aProcPathNamesTheReasonNotThePathTwice() {
        IOException e = catchThrowableOfType(IOException.class,
                () -> Files.newBufferedWriter(Path.of("/proc/x/y"), StandardOpenOption.CREATE));
        assertThat(IoReasons.of(e)).isEqualTo("no such file or directory");
    }

    @Test
    void aSocketFailureOfNettysNativeTransportReadsAsTheJdksDoes() throws Exception {
        assertThat(IoReasons.ofSocket(new java.net.ConnectException(
                "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:1")))
                .isEqualTo("Connection refused: /127.0.0.1:1");
        assertThat(IoReasons.ofSocket(new IOException("recvAddress(..) failed with error(-104): Connection reset by peer")))
                .isEqualTo("Connection reset by peer");
        assertThat(IoReasons.ofSocket(new java.net.ConnectException("Connection refused: /127.0.0.1:1")))
                .isEqualTo("Connection refused: /127.0.0.1:1");
        assertThat(IoReasons.ofSocket(new IOException())).isEqualTo("IOException");
    }
}
