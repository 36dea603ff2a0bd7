package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files of the root the machine provides itself, as a container runtime provides its own: {@code /etc/hostname},
 * the machine's name ({@link Uname#NODE_NAME}), and {@code /etc/hosts}, the root's own with a line naming the machine
 * when it has none ({@code 127.0.1.1}, Debian's address for the host's name), or Debian's default beside it when the
 * root has none. So the machine's name resolves as the host's does natively: {@code hostname -i}, Python's
 * {@code gethostbyname(gethostname())}, Java's {@code InetAddress.getLocalHost()}.
 */
final class ProvidedFiles {
    /** The guest paths these are, as components. */
    static final Set<List<String>> PATHS = Set.of(List.of("etc", "hostname"), List.of("etc", "hosts"));
    /** Debian's /etc/hosts without the host's own name. */
    private static final String DEFAULT_HOSTS = "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n"
            + "ff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n";

    private ProvidedFiles() {
    }

    /** The file at {@code components} (one of {@link #PATHS}), made from {@code root}'s when it has one. */
    static VirtualNode node(List<String> components, Path root) {
        return new VirtualNode.File(() -> (components.getLast().equals("hostname") ? Uname.NODE_NAME + "\n"
                : hosts(root)).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /etc/hosts}: the root's (a regular file only: a link could lead out of the root), naming the machine. */
    static String hosts(Path root) {
        Path own = root.resolve("etc/hosts");
        String text = DEFAULT_HOSTS;
        try {
            if (Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS)) {
                text = Files.readString(own, StandardCharsets.ISO_8859_1);
            }
        } catch (IOException e) {
            // unreadable: Debian's default
        }
        if (namesMachine(text)) {
            return text;
        }
        return text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "127.0.1.1\t" + Uname.NODE_NAME + "\n";
    }

    /** Whether a line of {@code hosts} (outside its comments) has the machine's name among its names. */
    private static boolean namesMachine(String hosts) {
        Pattern name = Pattern.compile("(?m)^[^#\\n]*\\s" + Pattern.quote(Uname.NODE_NAME) + "(\\s|#|$)");
        return name.matcher(hosts).find();
    }
}
