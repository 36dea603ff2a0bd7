package dev.hdbg.common.script;

import dev.hdbg.common.script.PrintfFormat.Conversion;
import dev.hdbg.common.script.PrintfFormat.Size;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrintfFormatTest {
    @Test
    void hyperDbgsSpecifiersAndModifiers() {
        PrintfFormat f = PrintfFormat.parse("%d %i %u %o %x %c %p %s %ws %ls %ld %lld %hx %llX");
        assertThat(f.conversionCount()).isEqualTo(14);
        assertThat(f.parts().stream().filter(p -> p instanceof Conversion).map(p -> (Conversion) p)
                .map(c -> c.conversion() + ":" + c.size())).containsExactly("d:INT", "i:INT", "u:INT", "o:INT",
                "x:INT", "c:INT", "p:INT", "s:INT", "S:INT", "S:INT", "d:INT", "d:LONG_LONG", "x:SHORT",
                "X:LONG_LONG");
    }

    @Test
    void flagsWidthAndPrecision() {
        Conversion c = (Conversion) PrintfFormat.parse("%-08.3llx").parts().getFirst();
        assertThat(c).isEqualTo(new Conversion('x', Size.LONG_LONG, true, true, false, false, false, 8, 3));
        Conversion s = (Conversion) PrintfFormat.parse("%+ #5d").parts().getFirst();
        assertThat(s.plus()).isTrue();
        assertThat(s.space()).isTrue();
        assertThat(s.alternate()).isTrue();
        assertThat(s.width()).isEqualTo(5);
    }

    @Test
    void aPercentThatStartsNoConversionIsText() {
        PrintfFormat f = PrintfFormat.parse("100%! %% %z %lc %");
        assertThat(f.conversionCount()).isZero();
        assertThat(f.parts()).containsExactly(new PrintfFormat.Text("100%! % %z %lc %"));
    }

    @Test
    void floatsAndHugeWidthsAreRefused() {
        assertThatThrownBy(() -> PrintfFormat.parse("%f")).hasMessageContaining("floating-point");
        assertThatThrownBy(() -> PrintfFormat.parse("%1000d")).hasMessageContaining("limit of 255");
        assertThatThrownBy(() -> PrintfFormat.parse("%.300s")).hasMessageContaining("precision");
    }
}
