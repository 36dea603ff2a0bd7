import java.io.*;
import java.net.*;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor of a request round trip on this machine (docs/benchmarks.md, "Request hand-overs, wave 7"), not part of
 * the tests: java bench/RequestFloor.java server PORT & java bench/RequestFloor.java client PORT 50000; and
 * java bench/RequestFloor.java threads 100000 [timed] for what a pair of thread hand-overs costs.
 */
public class RequestFloor {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("server")) {
            try (ServerSocket ss = new ServerSocket(Integer.parseInt(a[1]), 1, InetAddress.getLoopbackAddress())) {
                System.out.println("listening"); System.out.flush();
                try (Socket s = ss.accept()) {
                    s.setTcpNoDelay(true);
                    InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream();
                    byte[] b = new byte[64];
                    while (true) { int n = in.read(b); if (n <= 0) break; out.write(b, 0, n); }
                }
            }
        } else if (a[0].equals("client")) {
            int n = Integer.parseInt(a[2]);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(a[1]))) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream();
                byte[] b = new byte[32];
                for (int w = 0; w < 20000; w++) { out.write(b); in.readNBytes(b, 0, 32); }
                long cpu0 = cpu(); long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) { out.write(b); in.readNBytes(b, 0, 32); }
                long t1 = System.nanoTime(); long cpu1 = cpu();
                System.out.printf("socket: %d round trips, %.1f us each (wall), client process CPU %.1f us each%n", n, (t1 - t0) / 1e3 / n, (cpu1 - cpu0) / 1e3 / n);
            }
        } else if (a[0].equals("threads")) {
            // Two threads of one process handing a token back and forth: what one wake-up costs here.
            int n = Integer.parseInt(a[1]); boolean timed = a.length > 2 && a[2].equals("timed");
            final Thread[] other = new Thread[1]; final Thread main = Thread.currentThread();
            final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
            other[0] = Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < n + 20000; i++) { while (turn.get() != 1) { if (timed) LockSupport.parkNanos(30_000_000_000L); else LockSupport.park(); } turn.set(0); LockSupport.unpark(main); }
            });
            for (int w = 0; w < 20000; w++) { turn.set(1); LockSupport.unpark(other[0]); while (turn.get() != 0) { if (timed) LockSupport.parkNanos(30_000_000_000L); else LockSupport.park(); } }
            long cpu0 = cpu(); long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) { turn.set(1); LockSupport.unpark(other[0]); while (turn.get() != 0) { if (timed) LockSupport.parkNanos(30_000_000_000L); else LockSupport.park(); } }
            long t1 = System.nanoTime(); long cpu1 = cpu();
            System.out.printf("threads %s: %d hand-over pairs, %.1f us each (wall), process CPU %.1f us each%n", timed ? "timed" : "untimed", n, (t1 - t0) / 1e3 / n, (cpu1 - cpu0) / 1e3 / n);
        }
    }
    static long cpu() { return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(); }
}
