package dev.hdbg.agent.script;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.hdbg.common.script.PrintfFormat;
import dev.hdbg.common.script.PrintfFormat.Conversion;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The renderer's numbers, written straight into its buffer, against the strings it built before. */
class PrintfRendererTest {
    private static final char[] CONVERSIONS = {'d', 'i', 'u', 'o', 'x', 'X'};
    private static final long[] EDGES = {0, 1, -1, 7, 8, 9, 10, 15, 16, 255, 0x7fff, 0x8000, 0xffff, 0x7fffffffL,
            0x80000000L, 0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_007L, -1_000_000_007L};

    @Test
    void numbersAreWrittenAsTheStringsBuiltBeforeForEveryFlagWidthPrecisionAndSize() {
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            PrintfFormat.Size size = PrintfFormat.Size.values()[random.nextInt(3)];
            Conversion c = new Conversion(CONVERSIONS[random.nextInt(CONVERSIONS.length)], size, random.nextBoolean(),
                    random.nextBoolean(), random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                    random.nextInt(4) == 0 ? -1 : random.nextInt(30), random.nextInt(3) == 0 ? -1 : random.nextInt(25));
            long value = random.nextBoolean() ? EDGES[random.nextInt(EDGES.length)] : random.nextLong() >> random.nextInt(64);
            PrintfFormat format = new PrintfFormat(List.of(new PrintfFormat.Text("<"), c, new PrintfFormat.Text(">")));
            assertThat(text(PrintfRenderer.render(null, new long[8], format, new long[] {value}, 0)))
                    .as("%s of %d", c, value)
                    .isEqualTo("<" + before(c, value) + ">");
        }
    }

    @Test
    void outputIsCutAtTheLimitInsideANumberAsBefore() {
        Conversion wide = new Conversion('x', PrintfFormat.Size.LONG_LONG, false, true, false, false, false, 250, -1);
        PrintfFormat format = new PrintfFormat(java.util.Collections.nCopies(20, wide));
        long[] args = new long[20];
        java.util.Arrays.fill(args, 0x123456789abcdefL);
        String text = text(PrintfRenderer.render(null, new long[8], format, args, 0));
        assertThat(text).hasSize(PrintfRenderer.MAX_OUTPUT).isEqualTo(String.join("", java.util.Collections.nCopies(20,
                before(wide, 0x123456789abcdefL))).substring(0, PrintfRenderer.MAX_OUTPUT));
    }

    @Test
    void textBeyondLatin1IsOneQuestionMarkACharacterAsTheEncoderWrote() {
        PrintfFormat format = new PrintfFormat(List.of(new PrintfFormat.Text("a\u00e9\u20ac\ud83d\ude00b")));
        assertThat(text(PrintfRenderer.render(null, new long[8], format, new long[0], 0)))
                .isEqualTo(new String("a\u00e9\u20ac\ud83d\ude00b".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                        java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Issue 10's hot printf of two registers: the text's bytes and the renderer's buffer, no string or array per
     * conversion (410-430 bytes a call before: digits, sign, prefix and padding strings, their bytes, the text's bytes),
     * and no string of the text (136 bytes a call with it: docs/benchmarks.md, "Script output, wave 13").
     */
    @Test
    void aPrintfOfTwoRegistersAllocatesOnlyItsTextAndBuffer() {
        PrintfFormat format = PrintfFormat.parse("%llx %llx\n");
        long[] args = {0x40000aL, 0x1e8480L};
        long[] locals = new long[8];
        for (int i = 0; i < 20_000; i++) { // compiled, so that what escape analysis removes is removed
            PrintfRenderer.render(null, locals, format, args, 0);
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        int calls = 100_000;
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < calls; i++) {
            args[1] = i;
            PrintfRenderer.render(null, locals, format, args, 0);
        }
        long perCall = (threads.getThreadAllocatedBytes(id) - before) / calls;
        // the renderer 32, its 32-byte buffer 48, the text's bytes 32: 112 here
        assertThat(perCall).as("bytes allocated a call").isLessThanOrEqualTo(120);
    }

    private static String text(byte[] utf8) {
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What the renderer built before: the digits as a string, with the sign, prefix and padding as strings. */
    private static String before(Conversion c, long raw) {
        int bits = c.size().bits();
        long masked = bits == 64 ? raw : raw & ((1L << bits) - 1);
        String sign = "";
        String digits;
        String prefix = "";
        switch (c.conversion()) {
            case 'd', 'i' -> {
                long signed = bits == 64 ? raw : (raw << (64 - bits)) >> (64 - bits);
                if (signed < 0) {
                    sign = "-";
                    digits = Long.toUnsignedString(-signed);
                } else {
                    sign = c.plus() ? "+" : c.space() ? " " : "";
                    digits = Long.toString(signed);
                }
            }
            case 'u' -> digits = Long.toUnsignedString(masked);
            case 'o' -> {
                digits = Long.toOctalString(masked);
                prefix = c.alternate() && masked != 0 ? "0" : "";
            }
            case 'X' -> {
                digits = Long.toHexString(masked).toUpperCase();
                prefix = c.alternate() && masked != 0 ? "0X" : "";
            }
            default -> {
                digits = Long.toHexString(masked);
                prefix = c.alternate() && masked != 0 ? "0x" : "";
            }
        }
        if (c.precision() >= 0) {
            if (c.precision() == 0 && masked == 0) {
                digits = "";
            }
            if (digits.length() < c.precision()) {
                digits = "0".repeat(c.precision() - digits.length()) + digits;
            }
        }
        String head = sign + prefix;
        int fill = Math.max(0, c.width() - head.length() - digits.length());
        if (c.zeroPad() && !c.leftAlign() && c.precision() < 0) {
            return head + "0".repeat(fill) + digits;
        }
        String body = head + digits;
        return c.leftAlign() ? body + " ".repeat(fill) : " ".repeat(fill) + body;
    }
}
