package dev.hdbg.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyBlankOrShortTokenIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Tokens.requireUsable("", "--token")).hasMessageStartingWith("--token is empty")
                .hasMessageContaining("admit anyone");
        assertThatThrownBy(() -> Tokens.requireUsable("   \t ", "--token")).hasMessageStartingWith("--token is blank");
        assertThatThrownBy(() -> Tokens.requireUsable("s3cret", "--token-file t"))
                .hasMessageStartingWith("--token-file t is 6 characters long").hasMessageContaining("at least 16");
        assertThatThrownBy(() -> Tokens.requireUsable("0123456789abcdef\u0007", "--token")).hasMessageContaining("control character");
    }

    @Test
    void aTokenOfTheMinimumLengthIsAccepted() {
        assertThat(Tokens.requireUsable("0123456789abcdef", "--token")).isEqualTo("0123456789abcdef");
    }

    @Test
    void aTokenFileLosesItsTrailingLineBreakOnly() throws IOException {
        Path file = Files.writeString(dir.resolve("t"), "  spaced token value \n");
        assertThat(Tokens.read(file)).isEqualTo("  spaced token value ");
        assertThat(Tokens.read(Files.writeString(dir.resolve("crlf"), "abc\r\n"))).isEqualTo("abc");
        assertThat(Tokens.read(Files.writeString(dir.resolve("bare"), "abc"))).isEqualTo("abc");
    }

    @Test
    void aTokenFileThatIsNoTokenFileSaysWhy() throws IOException {
        assertThatThrownBy(() -> Tokens.read(dir.resolve("missing"))).hasMessageEndingWith(": no such file");
        assertThatThrownBy(() -> Tokens.read(dir)).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> Tokens.read(Files.writeString(dir.resolve("two"), "a\nb\n"))).hasMessageContaining("more than one line");
        assertThatThrownBy(() -> Tokens.read(Files.write(dir.resolve("big"), new byte[10_000]))).hasMessageContaining("10000 bytes");
        assertThatThrownBy(() -> Tokens.read(Files.write(dir.resolve("latin1"), new byte[] {(byte) 0xe9, 'a'})))
                .hasMessageContaining("not UTF-8");
    }
}
