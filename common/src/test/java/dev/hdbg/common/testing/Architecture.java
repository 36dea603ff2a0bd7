package dev.hdbg.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which classes the compiled classes of one module name, read from their class files' constant pools (the JDK's
 * {@code java.lang.classfile}, no library), and the rules they must keep: layers that depend only downwards, and
 * libraries kept to the packages at the edge. Every class a class file names counts — its superclass, fields,
 * method signatures, calls, casts, lambdas' targets, generic signatures — not just its imports, so reaching a type
 * through a method's return value is caught too. Compile-time constants, which javac copies into the user, are the
 * one thing that escapes.
 *
 * <pre>{@code
 * Architecture.ofModuleOf(AgentMain.class).check(
 *         Architecture.layers()
 *                 .layer("server", List.of("dev.hdbg.agent.server"), "debugger")
 *                 .layer("debugger", List.of("dev.hdbg.agent.debugger"), "vmx", "machine")
 *                 .rules(),
 *         Architecture.onlyIn("protobuf", Architecture.packages("com.google.protobuf"), "dev.hdbg.agent.server"));
 * }</pre>
 */
public final class Architecture {
    private static final Pattern DESCRIBED_CLASS = Pattern.compile("L([\\w/$]+)[;<]");

    private final String where;
    /** Each class (binary name) and the other classes it names. */
    private final Map<String, Set<String>> uses;

    private Architecture(String where, Map<String, Set<String>> uses) {
        this.where = where;
        this.uses = uses;
    }

    /** The classes of the directory or jar {@code anchor} was loaded from: its module's compiled main classes. */
    public static Architecture ofModuleOf(Class<?> anchor) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return read(location.toString(), location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return read(location.toString(), jar.getPath("/"));
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + anchor, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Architecture read(String where, Path root) throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                if (file.getFileName().toString().equals("module-info.class")) {
                    continue;
                }
                ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
                String self = binaryName(model.thisClass().asInternalName());
                Set<String> named = namedClasses(model);
                named.remove(self);
                uses.put(self, named);
            }
        }
        if (uses.isEmpty()) {
            throw new IllegalStateException("no class files under " + where);
        }
        return new Architecture(where, uses);
    }

    /** Every class the constant pool names: class entries, and the descriptors and signatures of its members. */
    private static Set<String> namedClasses(ClassModel model) {
        Set<Utf8Entry> literals = new HashSet<>();
        for (PoolEntry entry : model.constantPool()) {
            if (entry instanceof StringEntry string) {
                literals.add(string.utf8());
            }
        }
        Set<String> named = new TreeSet<>();
        for (PoolEntry entry : model.constantPool()) {
            switch (entry) {
                case ClassEntry c -> {
                    String name = c.asInternalName();
                    if (name.startsWith("[")) {
                        describedIn(name, named);
                    } else {
                        named.add(binaryName(name));
                    }
                }
                case Utf8Entry utf8 when !literals.contains(utf8) -> describedIn(utf8.stringValue(), named);
                default -> {
                }
            }
        }
        return named;
    }

    private static void describedIn(String descriptor, Set<String> named) {
        Matcher m = DESCRIBED_CLASS.matcher(descriptor);
        while (m.find()) {
            named.add(binaryName(m.group(1)));
        }
    }

    private static String binaryName(String internalName) {
        return internalName.replace('/', '.');
    }

    /** The classes read, for a test that wants to be sure it looked at something. */
    public Set<String> classes() {
        return uses.keySet();
    }

    /**
     * Checks every rule over every class.
     *
     * @throws AssertionError listing each violation, one a line: which class names which, and the rule it breaks
     */
    public void check(List<Rule> first, Rule... more) {
        List<Rule> rules = new ArrayList<>(first);
        rules.addAll(Arrays.asList(more));
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> c : uses.entrySet()) {
            for (Rule rule : rules) {
                if (!rule.from().test(c.getKey())) {
                    continue;
                }
                for (String used : c.getValue()) {
                    if (rule.forbidden().test(used)) {
                        violations.add(c.getKey() + " uses " + used + ": " + rule.description());
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + (violations.size() == 1 ? " dependency breaks" : " dependencies break")
                    + " the architecture (" + where + "):\n  "
                    + String.join("\n  ", violations));
        }
    }

    /**
     * Checks that every class read under {@code root} belongs to one of {@code layers}: a new package must take its
     * place among the layers, or the layer rules would not see it at all.
     *
     * @throws AssertionError naming the packages that belong to no layer
     */
    public void checkEveryClassIsInALayer(String root, Layers layers) {
        Set<String> outside = new java.util.TreeSet<>();
        for (String name : uses.keySet()) {
            if (name.startsWith(root + ".") && !layers.contains(name)) {
                outside.add(name.substring(0, name.lastIndexOf('.')));
            }
        }
        if (!outside.isEmpty()) {
            throw new AssertionError("packages in no layer (" + where + "): " + String.join(", ", outside)
                    + "; give each its place among the layers (" + layers.order() + ")");
        }
    }

    /** Checks {@code rules}, as {@link #check(List, Rule...)}. */
    public void check(Rule... rules) {
        check(List.of(), rules);
    }

    /**
     * A rule: no class {@code from} accepts may name a class {@code forbidden} accepts.
     *
     * @param description what the rule says, for the failure message
     */
    public record Rule(String description, Predicate<String> from, Predicate<String> forbidden) {
    }

    /** Classes in any of {@code packages} or their subpackages. */
    public static Predicate<String> packages(String... packages) {
        List<String> prefixes = Arrays.stream(packages).map(p -> p + ".").toList();
        return name -> prefixes.stream().anyMatch(name::startsWith);
    }

    /** Classes directly in {@code pkg}, not in its subpackages. */
    public static Predicate<String> exactly(String pkg) {
        return name -> name.startsWith(pkg + ".") && name.indexOf('.', pkg.length() + 1) < 0;
    }

    /** {@code library}'s classes may be named only by classes in {@code edgePackages} (and their subpackages). */
    public static Rule onlyIn(String library, Predicate<String> libraryClasses, String... edgePackages) {
        return new Rule(library + " is used only at the edge, in " + String.join(", ", edgePackages),
                packages(edgePackages).negate(), libraryClasses);
    }

    /** Classes {@code from} accepts may not name any class {@code forbidden} accepts. */
    public static Rule never(String description, Predicate<String> from, Predicate<String> forbidden) {
        return new Rule(description, from, forbidden);
    }

    /** Starts a set of layers. */
    public static Layers layers() {
        return new Layers();
    }

    /**
     * Named layers, each some packages and the layers it may use; a class of a layer may name classes of its own
     * layer, of the layers it may use, and of no other layer. Classes outside every layer (libraries, other
     * modules) are not this rule's business.
     */
    public static final class Layers {
        private final Map<String, Predicate<String>> members = new LinkedHashMap<>();
        private final Map<String, List<String>> mayUse = new LinkedHashMap<>();

        private Layers() {
        }

        /** Layer {@code name}: the classes in {@code packages} (and their subpackages), which may use {@code uses}. */
        public Layers layer(String name, List<String> packages, String... uses) {
            return layer(name, packages(packages.toArray(String[]::new)), uses);
        }

        /** Layer {@code name}: the classes {@code classes} accepts, which may use {@code uses}. */
        public Layers layer(String name, Predicate<String> classes, String... uses) {
            members.put(name, classes);
            mayUse.put(name, List.of(uses));
            return this;
        }

        /** Whether {@code className} belongs to one of the layers. */
        public boolean contains(String className) {
            return members.values().stream().anyMatch(layer -> layer.test(className));
        }

        /** The layers and what each may use, for messages. */
        public String order() {
            return String.join(", ", mayUse.entrySet().stream()
                    .map(e -> e.getKey() + " → " + (e.getValue().isEmpty() ? "nothing" : String.join(" | ", e.getValue())))
                    .toList());
        }

        /** One rule per layer. */
        public List<Rule> rules() {
            for (Map.Entry<String, List<String>> e : mayUse.entrySet()) {
                for (String used : e.getValue()) {
                    if (!members.containsKey(used)) {
                        throw new IllegalArgumentException(e.getKey() + " may use " + used + ", which is no layer");
                    }
                }
            }
            String order = order();
            List<Rule> rules = new ArrayList<>();
            for (String layer : members.keySet()) {
                Predicate<String> mine = members.get(layer);
                List<String> allowed = mayUse.get(layer);
                Predicate<String> forbidden = members.entrySet().stream()
                        .filter(e -> !e.getKey().equals(layer) && !allowed.contains(e.getKey()))
                        .map(Map.Entry::getValue)
                        .reduce(name -> false, Predicate::or);
                // A class of a layer that also matches an allowed one (a nested package) is allowed.
                Predicate<String> ownOrAllowed = allowed.stream().map(members::get).reduce(mine, Predicate::or);
                rules.add(new Rule(layer + " may use " + (allowed.isEmpty() ? "no other layer"
                        : allowed.stream().collect(Collectors.joining(", "))) + " (layers: " + order + ")",
                        mine, forbidden.and(ownOrAllowed.negate())));
            }
            return rules;
        }
    }
}
