package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine's network as programs enumerate it: its loopback alone, as on a Linux machine whose network namespace
 * has nothing else. The expected texts were recorded natively under {@code unshare -n} (loopback brought up), so
 * they are Linux's answers, not ours: iproute2 over rtnetlink, glibc's getifaddrs and if_nameindex, the SIOCGIF
 * ioctls. Before stop 55 every one of these failed with EAFNOSUPPORT (Node's os.networkInterfaces threw).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NetworkInterfacesIT {
    private static final Path ROOT = Path.of("/");
    private static final String PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    static Path dir;

    @BeforeAll
    static void prepare() throws Exception {
        GuestPrograms.compile(GuestPrograms.source(dir, "netif.c"), dir.resolve("netif"), "-static", "-O1");
        for (String name : List.of("commands.txt", "loopback-only.txt")) {
            try (InputStream in = NetworkInterfacesIT.class.getResourceAsStream("/net/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    private static ProgramRun shell(String script) throws Exception {
        return ProgramRun.underAgent(List.of("--cwd", dir.toString(), "--env", PATH), ROOT, Optional.empty(),
                Path.of("/usr/bin/bash"), "-c", script);
    }

    /** ip addr, link, route (table all, lookups in and beyond the machine), rule and neigh; hostname -I; Python. */
    @Test
    void iproute2AndPythonSeeWhatALoopbackOnlyNamespaceShows() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "iproute2 is not installed");
        ProgramRun run = shell("while IFS= read -r c; do echo \"\\$ $c\"; bash -c \"$c\" 2>&1; echo \"rc=$?\"; "
                + "done < commands.txt");
        String expected = Files.readString(dir.resolve("loopback-only.txt"), StandardCharsets.UTF_8);
        assertThat(run.out()).isEqualTo(expected);
        assertThat(run.notices()).isEmpty();
        assertThat(run.status()).isZero();
    }

    /** getifaddrs, if_nameindex, if_nametoindex, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFMTU; a change is EPERM. */
    @Test
    void glibcsInterfaceCallsFindTheLoopbackAlone() throws Exception {
        ProgramRun run = ProgramRun.underAgent(List.of("--cwd", dir.toString()), ROOT, Optional.empty(),
                dir.resolve("netif"));
        assertThat(run.out()).isEqualTo("""
                getifaddrs: 0
                lo flags 0x10049 family 17 -
                lo flags 0x10049 127.0.0.1 255.0.0.0
                lo flags 0x10049 ::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
                interface 1 lo
                if_nametoindex lo: 1
                if_nametoindex eth0: -1 (ENODEV)
                SIOCGIFCONF: 0
                lo 127.0.0.1 flags 0x49 mtu 65536
                SIOCSIFFLAGS: -1 (EPERM)
                """);
        assertThat(run.status()).isZero();
    }

    /**
     * ss lists the program's own sockets from /proc/net (sock_diag is not emulated, so ss falls back to the files, as
     * on a kernel without it): a listener, both ends of a connection with the bytes one has not read, a UDP socket, an
     * abstract Unix listener.
     */
    @Test
    void ssListsTheProgramsOwnSocketsFromProcNet() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")), "iproute2 is not installed");
        Files.writeString(dir.resolve("sockets.py"), """
                import socket, subprocess
                l = socket.socket(); l.bind(("127.0.0.1", 8765)); l.listen()
                c = socket.create_connection(("127.0.0.1", 8765)); a, _ = l.accept()
                u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 9876))
                x = socket.socket(socket.AF_UNIX); x.bind("\\0hdbg-test"); x.listen()
                c.send(b"hello")
                print(subprocess.run(["ss", "-tanu"], capture_output=True, text=True).stdout, end="")
                print(subprocess.run(["ss", "-xl"], capture_output=True, text=True).stdout, end="")
                """);
        ProgramRun run = shell("python3 sockets.py");
        assertThat(run.out().replaceAll(" +", " ")).matches("""
                Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port ?Process ?
                udp UNCONN 0 0 \\[::1\\]:9876 \\*:\\* ?
                tcp LISTEN 0 0 127.0.0.1:8765 0.0.0.0:\\* ?
                tcp ESTAB 0 0 127.0.0.1:(\\d+) 127.0.0.1:8765 ?
                tcp ESTAB 5 0 127.0.0.1:8765 127.0.0.1:\\1 ?
                Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port ?Process ?
                u_str LISTEN 0 0 @hdbg-test \\d+ \\* 0 ?
                """);
        assertThat(run.notices()).allSatisfy(n -> assertThat(n).contains("netlink protocol 4"));
    }

    /**
     * The machine's name resolves, as the host's does natively: /etc/hostname and /etc/hosts are the machine's own
     * (before stop 55, hostname -i failed with "Temporary failure in name resolution", and so would Java's
     * InetAddress.getLocalHost()).
     */
    @Test
    void theMachinesNameResolvesThroughItsOwnHostsFile() throws Exception {
        ProgramRun run = shell("hostname -i; cat /etc/hostname; python3 -c 'import socket; "
                + "print(socket.gethostbyname(socket.gethostname()))'");
        assertThat(run.out()).isEqualTo("127.0.1.1\nhdbg\n127.0.1.1\n");
        assertThat(run.status()).isZero();
    }

    /** ip addr add is refused as in a container without CAP_NET_ADMIN, and the user is told why. */
    @Test
    void aChangeToTheNetworkIsRefusedWithANotice() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")), "iproute2 is not installed");
        ProgramRun run = shell("ip addr add 10.1.2.3/8 dev lo; echo rc=$?; ip -4 -o addr | wc -l");
        assertThat(run.out()).isEqualTo("rc=2\n1\n");
        assertThat(run.err()).isEqualTo("RTNETLINK answers: Operation not permitted\n");
        assertThat(run.notices()).singleElement().asString().contains("change the machine's network", "EPERM");
    }
}
