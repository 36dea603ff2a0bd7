package dev.hdbg.agent.server;

import dev.hdbg.common.wire.Framing;
import dev.hdbg.proto.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Byte streams no well-behaved host sends: garbage, forged frames and mutated sessions, written
 * in arbitrary chunks.
 */
final class HostileBytes {
    /** Lengths a forged prefix announces: over the cap, 100 MiB, the largest and the "negative" ones. */
    static final int[] HUGE_LENGTHS = {Framing.MAX_ENVELOPE_BYTES + 1, 100 * 1024 * 1024, Integer.MAX_VALUE, -1,
            Integer.MIN_VALUE};

    private HostileBytes() {
    }

    /** Bytes as the host writes them: one write per chunk. */
    record Chunks(List<byte[]> chunks) {
        static Chunks of(byte[] bytes) {
            return new Chunks(List.of(bytes));
        }

        byte[] joined() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.forEach(out::writeBytes);
            return out.toByteArray();
        }

        /** Fewer writes, then fewer bytes. */
        Stream<Chunks> simpler() {
            byte[] all = joined();
            Stream<Chunks> oneWrite = chunks.size() > 1 ? Stream.of(of(all)) : Stream.empty();
            return Stream.concat(oneWrite, shorter(all).map(Chunks::of));
        }

        @Override
        public String toString() {
            byte[] all = joined();
            HexFormat hex = HexFormat.of();
            String shown = all.length <= 256 ? hex.formatHex(all) : hex.formatHex(all, 0, 256) + "...";
            return all.length + " bytes in " + chunks.size() + " writes of " + chunks.stream().map(c -> c.length).toList()
                    + ": " + shown;
        }
    }

    /** Arbitrary garbage in arbitrary chunks. */
    static Chunks garbage(SplittableRandom r) {
        return split(r, garbageBytes(r));
    }

    static byte[] garbageBytes(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> random(r, size(r));
            case 1 -> { // frames whose prefix may lie about their random bodies
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int frames = 1 + r.nextInt(4);
                for (int i = 0; i < frames; i++) {
                    byte[] body = random(r, size(r) % 512);
                    int announced = switch (r.nextInt(4)) {
                        case 0 -> body.length + r.nextInt(3) - 1;
                        case 1 -> r.nextInt(64);
                        default -> body.length;
                    };
                    out.writeBytes(ByteBuffer.allocate(4).putInt(announced).array());
                    out.writeBytes(body);
                }
                yield out.toByteArray();
            }
            case 2 -> { // a frame too large to accept, announced before a few bytes of it
                byte[] tail = random(r, r.nextInt(64));
                yield ByteBuffer.allocate(4 + tail.length).putInt(HUGE_LENGTHS[r.nextInt(HUGE_LENGTHS.length)]).put(tail).array();
            }
            case 3 -> { // well-framed protobuf of random fields, so parsing gets past the first bytes
                byte[] body = protobufShaped(r, 0);
                yield ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
            }
            default -> { // a valid request before the handshake, among garbage
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (r.nextBoolean()) {
                    out.writeBytes(random(r, r.nextInt(8)));
                }
                out.writeBytes(WireHost.frame(Requests.arbitrary(r).setRequestId(1 + r.nextInt(1000)).build()));
                if (r.nextBoolean()) {
                    out.writeBytes(random(r, r.nextInt(8)));
                }
                yield out.toByteArray();
            }
        };
    }

    /** Protobuf wire format with random tags (the Envelope's and others), types and values, nested a little. */
    private static byte[] protobufShaped(SplittableRandom r, int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int fields = r.nextInt(5);
        for (int i = 0; i < fields; i++) {
            int number = r.nextInt(3) == 0 ? 1 + r.nextInt(70) : 10 + r.nextInt(52);
            int type = r.nextInt(8) == 0 ? 3 + r.nextInt(5) : new int[] {0, 1, 2, 5}[r.nextInt(4)];
            varint(out, ((long) number << 3) | type);
            switch (type) {
                case 0 -> varint(out, Requests.address(r));
                case 1 -> out.writeBytes(random(r, 8));
                case 2 -> {
                    byte[] inner = depth < 3 && r.nextBoolean() ? protobufShaped(r, depth + 1) : random(r, r.nextInt(16));
                    varint(out, r.nextInt(10) == 0 ? inner.length + 1 + r.nextInt(100) : inner.length);
                    out.writeBytes(inner);
                }
                case 5 -> out.writeBytes(random(r, 4));
                default -> out.writeBytes(random(r, r.nextInt(4))); // groups and invalid wire types
            }
        }
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    // ---- mutated sessions ----------------------------------------------------------------------

    /** A change to a stream of valid frames; positions are fractions of its length, so they survive shrinking. */
    sealed interface Mutation {
        record FlipBit(double at, int bit) implements Mutation {
        }

        record Truncate(double at) implements Mutation {
        }

        record Delete(double at, int length) implements Mutation {
        }

        record Duplicate(double at, int length) implements Mutation {
        }

        record Insert(double at, byte[] bytes) implements Mutation {
            @Override
            public String toString() {
                return "Insert[at=" + at + ", bytes=" + HexFormat.of().formatHex(bytes) + "]";
            }
        }

        /** Rewrites the length prefix of frame {@code frame} (modulo the frame count). */
        record SetLength(int frame, int length) implements Mutation {
        }
    }

    /** Valid frames (a Hello first), then mutations, written in chunks cut by {@code cutSeed} (0: one write). */
    record Session(List<Envelope> frames, List<Mutation> mutations, long cutSeed) {
        byte[] bytes() {
            List<byte[]> framed = new ArrayList<>(frames.stream().map(WireHost::frame).toList());
            for (Mutation m : mutations) {
                if (m instanceof Mutation.SetLength(int frame, int length) && !framed.isEmpty()) {
                    byte[] f = framed.get(Math.floorMod(frame, framed.size())).clone();
                    ByteBuffer.wrap(f).putInt(length);
                    framed.set(Math.floorMod(frame, framed.size()), f);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            framed.forEach(out::writeBytes);
            byte[] bytes = out.toByteArray();
            for (Mutation m : mutations) {
                bytes = apply(m, bytes);
            }
            return bytes;
        }

        Chunks chunks() {
            byte[] bytes = bytes();
            return cutSeed == 0 ? Chunks.of(bytes) : split(new SplittableRandom(cutSeed), bytes);
        }

        /** Fewer mutations, fewer frames, one write. */
        Stream<Session> simpler() {
            Stream<Session> oneWrite = cutSeed != 0 ? Stream.of(new Session(frames, mutations, 0)) : Stream.empty();
            Stream<Session> fewerMutations = IntStream.range(0, mutations.size())
                    .mapToObj(i -> new Session(frames, without(mutations, i), cutSeed));
            Stream<Session> fewerFrames = IntStream.range(0, frames.size())
                    .mapToObj(i -> new Session(without(frames, i), mutations, cutSeed));
            return Stream.of(oneWrite, fewerMutations, fewerFrames).flatMap(s -> s);
        }

        @Override
        public String toString() {
            return "frames " + Requests.describeAll(frames) + ", mutations " + mutations + ", written as " + chunks();
        }
    }

    private static byte[] apply(Mutation m, byte[] bytes) {
        int at = (int) (m instanceof Mutation.SetLength ? 0 : position(m) * bytes.length);
        return switch (m) {
            case Mutation.FlipBit(double ignored, int bit) -> {
                if (bytes.length == 0) {
                    yield bytes;
                }
                byte[] b = bytes.clone();
                int i = Math.min(at, b.length - 1);
                b[i] ^= (byte) (1 << bit);
                yield b;
            }
            case Mutation.Truncate ignored -> Arrays.copyOf(bytes, at);
            case Mutation.Delete(double ignored, int length) -> splice(bytes, at, Math.min(length, bytes.length - at), new byte[0]);
            case Mutation.Duplicate(double ignored, int length) -> {
                int n = Math.min(length, bytes.length - at);
                yield splice(bytes, at + n, 0, Arrays.copyOfRange(bytes, at, at + n));
            }
            case Mutation.Insert(double ignored, byte[] inserted) -> splice(bytes, at, 0, inserted);
            case Mutation.SetLength ignored -> bytes; // applied to the frames, before the byte mutations
        };
    }

    private static double position(Mutation m) {
        return switch (m) {
            case Mutation.FlipBit f -> f.at();
            case Mutation.Truncate t -> t.at();
            case Mutation.Delete d -> d.at();
            case Mutation.Duplicate d -> d.at();
            case Mutation.Insert i -> i.at();
            case Mutation.SetLength ignored -> 0;
        };
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(insert);
        out.write(bytes, at + remove, bytes.length - at - remove);
        return out.toByteArray();
    }

    /** A Hello and a few requests, numbered 1.., with one to three mutations. */
    static Session session(SplittableRandom r) {
        List<Envelope> frames = new ArrayList<>();
        frames.add(WireHost.hello(1));
        int requests = r.nextInt(5);
        for (int i = 0; i < requests; i++) {
            frames.add(Requests.arbitrary(r).setRequestId(2 + i).build());
        }
        List<Mutation> mutations = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            mutations.add(mutation(r));
        }
        return new Session(frames, mutations, r.nextInt(3) == 0 ? 0 : r.nextLong() | 1);
    }

    private static Mutation mutation(SplittableRandom r) {
        double at = r.nextDouble();
        return switch (r.nextInt(6)) {
            case 0 -> new Mutation.FlipBit(at, r.nextInt(8));
            case 1 -> new Mutation.Truncate(at);
            case 2 -> new Mutation.Delete(at, 1 + r.nextInt(16));
            case 3 -> new Mutation.Duplicate(at, 1 + r.nextInt(64));
            case 4 -> new Mutation.Insert(at, random(r, 1 + r.nextInt(8)));
            default -> new Mutation.SetLength(r.nextInt(6), switch (r.nextInt(4)) {
                case 0 -> HUGE_LENGTHS[r.nextInt(HUGE_LENGTHS.length)];
                case 1 -> 0;
                default -> r.nextInt(256);
            });
        };
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Cuts {@code bytes} into writes: one, one per byte, or at random places. */
    static Chunks split(SplittableRandom r, byte[] bytes) {
        int mode = r.nextInt(8);
        if (mode == 0 || bytes.length < 2) {
            return Chunks.of(bytes);
        }
        List<byte[]> chunks = new ArrayList<>();
        if (mode == 1 && bytes.length <= 64) {
            for (byte b : bytes) {
                chunks.add(new byte[] {b});
            }
            return new Chunks(chunks);
        }
        int[] cuts = r.ints(1 + r.nextInt(Math.min(16, bytes.length - 1)), 1, bytes.length).sorted().distinct().toArray();
        int from = 0;
        for (int cut : cuts) {
            chunks.add(Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        chunks.add(Arrays.copyOfRange(bytes, from, bytes.length));
        return new Chunks(chunks);
    }

    /** Mostly short, sometimes a few KiB, rarely past 64 KiB. */
    private static int size(SplittableRandom r) {
        int bucket = r.nextInt(20);
        return bucket < 14 ? r.nextInt(65) : bucket < 19 ? 65 + r.nextInt(4096) : 4096 + r.nextInt(70_000);
    }

    private static byte[] random(SplittableRandom r, int length) {
        byte[] bytes = new byte[length];
        r.nextBytes(bytes);
        return bytes;
    }

    private static Stream<byte[]> shorter(byte[] bytes) {
        if (bytes.length == 0) {
            return Stream.empty();
        }
        int half = bytes.length / 2;
        return Stream.of(Arrays.copyOf(bytes, half), Arrays.copyOfRange(bytes, half, bytes.length),
                Arrays.copyOf(bytes, bytes.length - 1), Arrays.copyOfRange(bytes, 1, bytes.length));
    }

    private static <E> List<E> without(List<E> list, int index) {
        List<E> copy = new ArrayList<>(list);
        copy.remove(index);
        return copy;
    }
}
