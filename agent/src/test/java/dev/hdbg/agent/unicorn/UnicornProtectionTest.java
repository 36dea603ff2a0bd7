package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A protection set while the guest runs holds for the very next access. Unicorn 2.0.1 broke this in two ways the
 * binding works around (MemoryAccess.protect): dropping the range's translated code after protecting refilled the
 * page's TLB entry, and taking READ from a page read while it was read-only did not hold; munmap in an emulated
 * Linux is exactly that (a page the program read, made inaccessible from its SYSCALL hook).
 */
class UnicornProtectionTest {
    private static final long PAGE = 0x10000;
    // mov rax, [0x10010] ; syscall ; mov rax, [0x10010] ; hlt
    private static final String READ_SYSCALL_READ = "48 8b 04 25 10 00 01 00 0f 05 48 8b 04 25 10 00 01 00 f4";

    @Test
    void aReadOnlyPageMadeInaccessibleInsideAHookFaultsOnTheNextRead() {
        try (Unicorn unicorn = Guest.withCode(READ_SYSCALL_READ)) {
            unicorn.memMap(PAGE, 0x1000, Prot.READ);
            unicorn.hookSyscall(() -> unicorn.memProtect(PAGE, 0x1000, Prot.NONE));

            assertThatThrownBy(() -> unicorn.emuStart(Guest.CODE, -1L, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.READ_PROT));
            assertThat(unicorn.regRead(X86Reg.RIP)).as("the second read").isEqualTo(Guest.CODE + 10);
        }
    }

    @Test
    void aPageMadeReadOnlyInsideAHookRefusesTheNextWrite() {
        // mov [0x10010], rax ; syscall ; mov [0x10010], rax ; hlt
        try (Unicorn unicorn = Guest.withCode("48 89 04 25 10 00 01 00 0f 05 48 89 04 25 10 00 01 00 f4")) {
            unicorn.memMap(PAGE, 0x1000, Prot.READ | Prot.WRITE);
            unicorn.hookSyscall(() -> unicorn.memProtect(PAGE, 0x1000, Prot.READ));

            assertThatThrownBy(() -> unicorn.emuStart(Guest.CODE, -1L, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.WRITE_PROT));
        }
    }
}
