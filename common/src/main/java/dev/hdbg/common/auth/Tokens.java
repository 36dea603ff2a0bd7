package dev.hdbg.common.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The shared secret hosts present to an agent started with {@code --token} or {@code --token-file}: what the
 * agent accepts as one, and how both programs read it from a file so that it stays out of {@code ps}.
 */
public final class Tokens {
    /**
     * The shortest token an agent accepts. A token guards an agent that runs code hosts send; 16 characters of
     * {@code base64} from {@code /dev/urandom} are 96 bits, beyond guessing over a network.
     */
    public static final int MIN_LENGTH = 16;

    /** A token file is one line; anything larger is not a token file (and must not be read whole). */
    private static final long MAX_FILE_BYTES = 4096;

    /** How docs and messages tell the user to make one. */
    public static final String HOW_TO_MAKE_ONE = "umask 077; head -c 32 /dev/urandom | base64 > ~/hdbg.token";

    private Tokens() {
    }

    /**
     * Checks that {@code token} can guard an agent.
     *
     * @param option the option it came from, named in the message ({@code --token}, {@code --token-file FILE})
     * @throws IllegalArgumentException naming the option when the token is empty, blank, shorter than
     *                                  {@link #MIN_LENGTH}, or holds control characters
     */
    public static String requireUsable(String token, String option) {
        if (token.isBlank()) {
            throw new IllegalArgumentException(option + " is " + (token.isEmpty() ? "empty" : "blank")
                    + ": an agent with an empty token would admit anyone; make one with: " + HOW_TO_MAKE_ONE);
        }
        if (token.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(option + " holds a control character (a line break inside the token?): "
                    + "a token is one line of printable characters");
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(option + " is " + token.length() + " characters long; a token needs at least "
                    + MIN_LENGTH + ": make one with: " + HOW_TO_MAKE_ONE);
        }
        return token;
    }

    /**
     * The token in {@code file}: its first line, without the line break (a file written by {@code echo} or
     * {@code base64} ends with one). Not checked: the agent checks with {@link #requireUsable}.
     *
     * @throws IllegalArgumentException naming the file and the reason when it is missing, a directory, unreadable,
     *                                  too large to be a token file, not UTF-8, or holds more than one line
     */
    public static String read(Path file) {
        String where = "--token-file " + file;
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(where + " is a directory, not a token file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(where + " is " + Files.size(file) + " bytes: a token file holds one line");
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            String token = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            if (token.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(where + " holds more than one line: a token file holds the token alone");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(where + ": permission denied", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(where + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
