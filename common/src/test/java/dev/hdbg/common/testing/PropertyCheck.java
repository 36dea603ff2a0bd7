package dev.hdbg.common.testing;

import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A small property runner for plain JUnit tests: draws cases from a seeded generator, checks the
 * property on each, and on a failure shrinks the case greedily and reports the seed that
 * reproduces the run ({@code -Dhdbg.seed=N}; {@code bin/test} passes the commit's, and without one each
 * run draws its own). {@code -Dhdbg.tries=N} runs every property N times
 * instead of its own count, for a longer hunt.
 *
 * <p>Not jqwik: since 1.10 jqwik asks not to be used by AI coding agents, who write much of this
 * project, and prints an instruction addressed to them into every test run; its engine is also
 * built for JUnit Platform 1.x, while this build runs Platform 6.
 */
public final class PropertyCheck<T> {
    /** Property runs spent on shrinking at most; enough to cut a case down, bounded so a failure reports soon. */
    private static final int MAX_SHRINK_RUNS = 120;
    private static final int MAX_REPORTED_CHARS = 4000;

    /** A property of one case; it fails by throwing (an assertion, a timeout). */
    @FunctionalInterface
    public interface Property<T> {
        void check(T example) throws Exception;
    }

    private final Function<SplittableRandom, T> generator;
    private final Function<T, Stream<T>> shrinker;

    private PropertyCheck(Function<SplittableRandom, T> generator, Function<T, Stream<T>> shrinker) {
        this.generator = generator;
        this.shrinker = shrinker;
    }

    public static <T> PropertyCheck<T> forAll(Function<SplittableRandom, T> generator) {
        return new PropertyCheck<>(generator, t -> Stream.empty());
    }

    /** Candidates simpler than a failing case, simplest first; the first that still fails is kept. */
    public PropertyCheck<T> shrinking(Function<T, Stream<T>> simpler) {
        return new PropertyCheck<>(generator, simpler);
    }

    /** Checks {@code property} on {@code tries} generated cases; throws an AssertionError naming the seed on the first failure. */
    public void check(int tries, Property<T> property) {
        tries = Integer.getInteger("hdbg.tries", tries);
        long seed = Long.getLong("hdbg.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 1; i <= tries; i++) {
            T example = generator.apply(random);
            Throwable failure = failureOf(property, example);
            if (failure instanceof InterruptedException) {
                // The test is being stopped (its timeout): every shrinking run would "fail" the same way.
                throw new AssertionError("interrupted on try " + i + " (rerun with -Dhdbg.seed=" + seed + ")", failure);
            }
            if (failure != null) {
                throw report(seed, i, example, failure, property);
            }
        }
    }

    private AssertionError report(long seed, int attempt, T example, Throwable failure, Property<T> property) {
        T smallest = example;
        Throwable smallestFailure = failure;
        int runs = 0;
        int steps = 0;
        boolean shrunk = true;
        while (shrunk && runs < MAX_SHRINK_RUNS) {
            shrunk = false;
            Iterator<T> candidates = shrinker.apply(smallest).iterator();
            while (candidates.hasNext() && runs < MAX_SHRINK_RUNS) {
                T candidate = candidates.next();
                runs++;
                Throwable f = failureOf(property, candidate);
                if (f != null) {
                    smallest = candidate;
                    smallestFailure = f;
                    steps++;
                    shrunk = true;
                    break;
                }
            }
        }
        AssertionError error = new AssertionError("property failed on try " + attempt + " (rerun with -Dhdbg.seed=" + seed
                + "); shrunk in " + steps + " steps (" + runs + " runs) to:\n  " + clip(smallest) + "\nfailure: "
                + smallestFailure + (steps > 0 ? "\noriginal case:\n  " + clip(example) : ""), smallestFailure);
        if (smallestFailure != failure) {
            error.addSuppressed(failure);
        }
        return error;
    }

    private static <T> Throwable failureOf(Property<T> property, T example) {
        try {
            property.check(example);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (Exception | AssertionError e) {
            return e;
        }
    }

    private static String clip(Object example) {
        String text = String.valueOf(example);
        return text.length() <= MAX_REPORTED_CHARS ? text
                : text.substring(0, MAX_REPORTED_CHARS) + "... (" + text.length() + " characters)";
    }
}
