package dev.hdbg.common.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Why an operation on a file failed, in the operating system's words and without the path, so that a message can
 * name the path once and say why: {@code cannot open the log file /root/x/y: permission denied}. The JDK's own
 * messages name the path and often nothing else ({@code NoSuchFileException.getMessage()} is the path alone).
 */
public final class IoReasons {
    private IoReasons() {
    }

    /** The reason of {@code e}: "no such file or directory", "permission denied", "is a directory", ... */
    public static String of(IOException e) {
        return switch (e) {
            case NoSuchFileException n when n.getReason() == null -> "no such file or directory";
            case AccessDeniedException a when a.getReason() == null -> "permission denied";
            case NotDirectoryException n when n.getReason() == null -> "not a directory";
            case FileAlreadyExistsException f when f.getReason() == null -> "it exists already";
            case DirectoryNotEmptyException d when d.getReason() == null -> "directory not empty";
            case FileSystemException f when f.getReason() != null -> lowerFirst(f.getReason());
            case CharacterCodingException c -> "not UTF-8 text";
            default -> lowerFirst(ofSocket(e));
        };
    }

    /**
     * Why a socket operation failed, as the JDK's NIO says it ({@code Connection refused: /127.0.0.1:1}) whichever
     * transport failed: Netty's native epoll puts the system call before the reason
     * ({@code finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:1}), which tells a user nothing.
     */
    public static String ofSocket(Throwable failure) {
        String message = failure.getMessage();
        if (message == null) {
            return failure.getClass().getSimpleName();
        }
        return NATIVE_CALL.matcher(oneLine(message)).replaceFirst("");
    }

    /** Netty's native transports' prefix: the call and the negative errno. */
    private static final Pattern NATIVE_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

    private static String oneLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** "Is a directory" (strerror's capital) reads as a clause after a colon. */
    private static String lowerFirst(String reason) {
        if (reason.length() > 1 && Character.isUpperCase(reason.charAt(0)) && Character.isLowerCase(reason.charAt(1))) {
            return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
        }
        return reason;
    }
}
