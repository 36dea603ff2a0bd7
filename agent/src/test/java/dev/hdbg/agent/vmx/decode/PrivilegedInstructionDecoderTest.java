package dev.hdbg.agent.vmx.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Hlt;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovFromCr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovFromDr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovToCr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovToDr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Rdmsr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Rdpmc;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Rdtsc;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Rdtscp;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Sysret;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Vmcall;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Wrmsr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Xgetbv;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Xsetbv;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Byte sequences assembled with nasm ({@code bits 64}); the assembly is beside each. */
class PrivilegedInstructionDecoderTest {
    private static Optional<PrivilegedInstruction> decode(String hex) {
        return PrivilegedInstructionDecoder.decode(bytes(hex));
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** {@code count} copies of {@code prefix} followed by {@code rest}. */
    private static String repeated(String prefix, int count, String rest) {
        return (prefix + " ").repeat(count) + rest;
    }

    static Stream<Arguments> bareInstructions() {
        return Stream.of(
                Arguments.of("f4", new Hlt(1)),                 // hlt
                Arguments.of("0f 32", new Rdmsr(2)),            // rdmsr
                Arguments.of("0f 30", new Wrmsr(2)),            // wrmsr
                Arguments.of("0f 31", new Rdtsc(2)),            // rdtsc
                Arguments.of("0f 01 f9", new Rdtscp(3)),        // rdtscp
                Arguments.of("0f 33", new Rdpmc(2)),            // rdpmc
                Arguments.of("0f 01 d1", new Xsetbv(3)),        // xsetbv
                Arguments.of("0f 01 d0", new Xgetbv(3)),        // xgetbv
                Arguments.of("0f 01 c1", new Vmcall(3)),        // vmcall
                Arguments.of("0f 22 e0", new MovToCr(3, 4, 0)), // mov cr4, rax
                Arguments.of("0f 20 d8", new MovFromCr(3, 3, 0)), // mov rax, cr3
                Arguments.of("0f 23 f8", new MovToDr(3, 7, 0)), // mov dr7, rax
                Arguments.of("0f 21 c1", new MovFromDr(3, 0, 1)), // mov rcx, dr0
                Arguments.of("0f 07", new Sysret(2, false)));   // sysret
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("bareInstructions")
    void eachInstructionDecodesBareWithItsLength(String hex, PrivilegedInstruction expected) {
        assertThat(decode(hex)).contains(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("bareInstructions")
    void bytesAfterTheInstructionAreNotPartOfIt(String hex, PrivilegedInstruction expected) {
        // Followed by nop; nop; mov cr0, rax - what a real read of 15 bytes at RIP brings along.
        assertThat(decode(hex + " 90 90 0f 22 c0")).contains(expected);
    }

    static Stream<Arguments> registerOperands() {
        return Stream.of(
                Arguments.of("41 0f 22 c0", new MovToCr(4, 0, 8)),    // mov cr0, r8
                Arguments.of("44 0f 22 c0", new MovToCr(4, 8, 0)),    // mov cr8, rax
                Arguments.of("45 0f 22 c7", new MovToCr(4, 8, 15)),   // mov cr8, r15
                Arguments.of("45 0f 20 c7", new MovFromCr(4, 8, 15)), // mov r15, cr8
                Arguments.of("41 0f 22 df", new MovToCr(4, 3, 15)),   // mov cr3, r15
                Arguments.of("41 0f 20 d1", new MovFromCr(4, 2, 9)),  // mov r9, cr2
                Arguments.of("0f 22 c4", new MovToCr(3, 0, 4)),       // mov cr0, rsp
                Arguments.of("0f 20 e7", new MovFromCr(3, 4, 7)),     // mov rdi, cr4
                Arguments.of("41 0f 23 f4", new MovToDr(4, 6, 12)),   // mov dr6, r12
                Arguments.of("41 0f 21 cd", new MovFromDr(4, 1, 13)), // mov r13, dr1
                Arguments.of("48 0f 22 d8", new MovToCr(4, 3, 0)));   // rex.w mov cr3, rax (REX.W changes nothing)
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("registerOperands")
    void rexRExtendsTheSpecialRegisterAndRexBTheGpr(String hex, PrivilegedInstruction expected) {
        assertThat(decode(hex)).contains(expected);
    }

    @Test
    void sysretReturnsTo64BitCodeOnlyWithRexW() {
        assertThat(decode("48 0f 07")).contains(new Sysret(3, true));  // o64 sysret (sysretq)
        assertThat(decode("4f 0f 07")).contains(new Sysret(3, true));  // rex.wrxb sysret
        assertThat(decode("41 0f 07")).contains(new Sysret(3, false)); // rex.b sysret
        assertThat(decode("0f 07")).contains(new Sysret(2, false));    // sysret
    }

    @Test
    void legacyPrefixesCountInTheLength() {
        assertThat(decode("66 0f 32")).contains(new Rdmsr(3));          // o16 rdmsr
        assertThat(decode("f3 0f 31")).contains(new Rdtsc(3));          // rep rdtsc
        assertThat(decode("66 66 66 f4")).contains(new Hlt(4));         // o16 o16 o16 hlt
        // cs ss ds es fs gs a32 repne wrmsr
        assertThat(decode("2e 36 3e 26 64 65 67 f2 0f 30")).contains(new Wrmsr(10));
        assertThat(decode("66 41 0f 22 c0")).contains(new MovToCr(5, 0, 8)); // o16 mov cr0, r8
        assertThat(decode("f2 48 0f 07")).contains(new Sysret(4, true));     // repne sysretq
        assertThat(decode("66 0f 01 f9")).contains(new Rdtscp(4));           // o16 rdtscp
        assertThat(decode("64 0f 01 c1")).contains(new Vmcall(4));           // fs vmcall
    }

    @Test
    void rexBeforeALegacyPrefixIsIgnored() {
        assertThat(decode("41 66 0f 22 c0")).contains(new MovToCr(5, 0, 0)); // rex.b o16 mov cr0, rax
        assertThat(decode("48 2e 0f 07")).contains(new Sysret(4, false));    // rex.w cs sysret
        assertThat(decode("44 66 0f 23 c0")).contains(new MovToDr(5, 0, 0)); // rex.r o16 mov dr0, rax
    }

    @Test
    void onlyTheLastOfSeveralRexPrefixesCounts() {
        assertThat(decode("41 44 0f 22 c0")).contains(new MovToCr(5, 8, 0)); // rex.b rex.r mov cr8, rax
    }

    @Test
    void rexDoesNotChangeA0f01Instruction() {
        assertThat(decode("41 0f 01 d0")).contains(new Xgetbv(4)); // rex.b xgetbv
        assertThat(decode("48 0f 01 f9")).contains(new Rdtscp(4)); // rex.w rdtscp
    }

    @Test
    void fifteenBytesAreTheLongestInstruction() {
        assertThat(decode(repeated("66", 14, "f4"))).contains(new Hlt(15));
        assertThat(decode(repeated("2e", 13, "0f 31"))).contains(new Rdtsc(15));
        assertThat(decode(repeated("66", 11, "45 0f 22 c7"))).contains(new MovToCr(15, 8, 15));
    }

    @Test
    void anInstructionLongerThanFifteenBytesIsNotDecoded() {
        assertThat(decode(repeated("66", 15, "f4"))).isEmpty();           // 16 bytes
        assertThat(decode(repeated("2e", 14, "0f 31"))).isEmpty();        // 16 bytes
        assertThat(decode(repeated("66", 12, "45 0f 22 c7"))).isEmpty();  // 16 bytes
        assertThat(decode(repeated("66", 20, "0f 32"))).isEmpty();        // 22 bytes
    }

    @Test
    void bytesPastTheFifteenthAreIgnored() {
        assertThat(decode("f4" + " 00".repeat(20))).contains(new Hlt(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0f", "0f 01", "0f 20", "0f 21", "0f 22", "0f 23", "66", "41", "66 48", "f3 0f"})
    void truncatedInputIsNotDecoded(String hex) {
        assertThat(decode(hex)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0f 22 00",             // mod 00: would be mov cr0, [rax]
        "0f 22 40 00",          // mod 01
        "0f 20 98 00 00 00 00", // mod 10
        "0f 20 18",             // mod 00, cr3
        "0f 23 38",             // mod 00, dr7
        "0f 21 47 08"})         // mod 01, dr0
    void movCrOrDrWithAMemoryFormModRmIsNotDecoded(String hex) {
        assertThat(decode(hex)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0f 22 c8",    // mov cr1, rax
        "0f 22 e8",    // mov cr5, rax
        "0f 20 f0",    // mov rax, cr6
        "0f 20 f8",    // mov rax, cr7
        "44 0f 22 c8", // mov cr9, rax
        "44 0f 20 f8", // mov rax, cr15
        "44 0f 23 c0", // mov dr8, rax
        "44 0f 21 f8"}) // mov rax, dr15
    void registersMovCannotReachAreNotDecoded(String hex) {
        assertThat(decode(hex)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "f0 f4",          // lock hlt
        "f0 0f 32",       // lock rdmsr
        "66 f0 0f 22 c0", // o16 lock mov cr0, rax (AMD's alternative CR8 encoding; #UD on Intel)
        "f0 0f 01 c1"})   // lock vmcall
    void aLockPrefixIsNotDecoded(String hex) {
        assertThat(decode(hex)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"66 0f 01 d0", "f2 0f 01 d0", "f3 0f 01 d1", "66 2e 0f 01 d1"})
    void xgetbvAndXsetbvWithA66F2OrF3PrefixAreNotDecoded(String hex) {
        assertThat(decode(hex)).isEmpty();
    }

    @Test
    void xgetbvAndXsetbvAcceptOtherPrefixes() {
        assertThat(decode("2e 0f 01 d0")).contains(new Xgetbv(4)); // cs xgetbv
        assertThat(decode("67 0f 01 d1")).contains(new Xsetbv(4)); // a32 xsetbv
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "90",       // nop
        "cc",       // int3
        "cd 03",    // int 3
        "fa",       // cli
        "0f 05",    // syscall
        "0f 34",    // sysenter
        "0f a2",    // cpuid
        "0f 0b",    // ud2
        "0f 01 c2", // vmlaunch
        "0f 01 d8", // vmrun
        "0f 01 f8", // swapgs
        "0f 01 10", // lgdt [rax]
        "0f 34 32", // sysenter, then a byte that is RDMSR's second
        "48 90",    // rex.w nop
        "c4 e2 79 18 00"}) // vbroadcastss xmm0, [rax]: VEX is not a prefix the decoder skips
    void otherOpcodesAreNotDecoded(String hex) {
        assertThat(decode(hex)).isEmpty();
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> PrivilegedInstructionDecoder.decode(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("bytes");
    }
}
