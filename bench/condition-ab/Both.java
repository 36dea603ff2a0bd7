import java.net.*;
import java.nio.file.*;
import java.util.*;
import java.util.function.LongToDoubleFunction;
/**
 * Two builds' machine-code condition call in one JVM, not part of the tests: each checkout's agent classes in a class
 * loader of their own, with CondLoop (the loop of bench/ConditionCost.java) loaded in each, timed in alternating blocks
 * so that both see the same load (docs/benchmarks.md, "Hot hits, wave 11"). Prints the medians of the second half.
 *
 *   javac -d /tmp/cab -cp 'agent/target/classes:agent/target/lib/*' bench/condition-ab/*.java
 *   java --enable-native-access=ALL-UNNAMED -cp /tmp/cab Both /path/to/checkout-a /path/to/checkout-b /tmp/cab 100000 40
 */
public class Both {
    static LongToDoubleFunction load(String dir, String cls) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(Path.of(cls).toUri().toURL());
        urls.add(Path.of(dir, "agent/target/classes").toUri().toURL());
        try (var s = Files.list(Path.of(dir, "agent/target/lib"))) { for (Path p : s.toList()) urls.add(p.toUri().toURL()); }
        var l = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        return (LongToDoubleFunction) l.loadClass("CondLoop").getConstructor().newInstance();
    }
    public static void main(String[] a) throws Exception {
        LongToDoubleFunction A = load(a[0], a[2]), B = load(a[1], a[2]);
        long calls = Long.parseLong(a[3]); int blocks = Integer.parseInt(a[4]);
        List<Double> ra = new ArrayList<>(), rb = new ArrayList<>(), q = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            double x, y;
            if (i % 2 == 0) { x = A.applyAsDouble(calls); y = B.applyAsDouble(calls); } else { y = B.applyAsDouble(calls); x = A.applyAsDouble(calls); }
            if (i >= blocks / 2) { ra.add(x); rb.add(y); q.add(y / x); }
        }
        Collections.sort(ra); Collections.sort(rb); Collections.sort(q);
        System.out.printf("A %.0f ns  B %.0f ns  B/A median %.3f (q1 %.3f q3 %.3f) over %d blocks%n", ra.get(ra.size()/2), rb.get(rb.size()/2), q.get(q.size()/2), q.get(q.size()/4), q.get(3*q.size()/4), q.size());
    }
}
