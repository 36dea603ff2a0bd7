package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.event.GuestRegister;
import org.junit.jupiter.api.Test;

class RawImageLoaderTest {
    @Test
    void loadsTheImageMapsAStackAndStartsAtTheEntry() {
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, 0x10000, 0x10001);
            assertThat(machine.rip()).isEqualTo(0x10001);
            assertThat(machine.memory().read(0x10000, 2)).containsExactly((byte) 0x90, (byte) 0xf4);
            long rsp = machine.read(GuestRegister.RSP);
            assertThat(machine.memory().isMapped(rsp, 0x100)).isTrue();
        }
    }

    @Test
    void anEntryOutsideTheImageIsRefused() {
        try (Machine machine = new Machine()) {
            assertThatThrownBy(() -> RawImageLoader.load(machine, "t", new byte[] {1}, 0x10000, 0x20000))
                    .hasMessageContaining("entry 0x20000 is outside the image 0x10000-0x10001");
        }
    }

    @Test
    void unmappedAccessNamesTheAddressAndTheRegions() {
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "t", new byte[] {1}, 0x10000, 0x10000);
            assertThatThrownBy(() -> machine.memory().read(0x9000, 4)).isInstanceOf(UnmappedAddressException.class)
                    .hasMessageContaining("address 0x9000 is not mapped; mapped: 0x10000-0x21000 rwx t");
            // A read that starts mapped and runs off the end names the first unmapped byte.
            assertThatThrownBy(() -> machine.memory().read(0x20ff0, 0x20))
                    .hasMessageContaining("address 0x21000 is not mapped (reading 0x20 bytes from 0x20ff0)");
        }
    }
}
