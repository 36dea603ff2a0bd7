package dev.hdbg.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import dev.hdbg.common.record.DebuggerRecord.LogValue;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class LogValueTest {
    /**
     * Issue 15: a number was a value, an {@code Optional} and a boxed {@code Long} (72 bytes), made for every record of
     * a hot log on the agent's execution thread and again on the host's busiest thread (docs/benchmarks.md, "Records
     * without objects, wave 12"); it is one object.
     */
    @Test
    void aNumberIsOneObject() {
        int count = 20_000;
        LogValue[] kept = new LogValue[count];
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < count; i++) {
            kept[i] = LogValue.ofNumber("rdi", 0x1234_5678_9abcL + i); // beyond Long's cache of small numbers
        }
        long perValue = (threads.getCurrentThreadAllocatedBytes() - before) / count;

        assertThat(kept[count - 1].number()).contains(0x1234_5678_9abcL + count - 1);
        assertThat(perValue).isLessThanOrEqualTo(48);
    }

    @Test
    void aValueHoldsExactlyOneOfItsForms() {
        LogValue number = LogValue.ofNumber("rdi", 7);
        LogValue bytes = LogValue.ofBytes("[rsp]", new byte[] {1, 2});
        LogValue error = LogValue.ofError("[0]", "address 0x0 is not mapped");

        assertThat(number.isNumber()).isTrue();
        assertThat(number.number()).contains(7L);
        assertThat(number.bytes()).isEmpty();
        assertThat(number.error()).isEmpty();
        assertThat(bytes.isNumber()).isFalse();
        assertThat(bytes.bytes()).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2));
        assertThat(bytes.number()).isEmpty();
        assertThat(error.error()).contains("address 0x0 is not mapped");
        assertThat(error.number()).isEmpty();
        assertThat(LogValue.ofNumber("rdi", 0)).isEqualTo(LogValue.ofNumber("rdi", 0));
        assertThatThrownBy(() -> new LogValue("rdi", LogValue.Kind.NUMBER, 1, new byte[0], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogValue("rdi", LogValue.Kind.BYTES, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogValue("rdi", LogValue.Kind.ERROR, 3, null, "why"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
