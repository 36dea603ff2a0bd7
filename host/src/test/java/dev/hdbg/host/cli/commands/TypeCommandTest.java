package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** gdb 13's {@code ptype /o struct point} of elf/typed.c (gcc -g), read and shown as dt and struct show it. */
class TypeCommandTest {
    static final String POINT = """
            /* offset      |    size */  type = struct point {
            /*      0      |       4 */    int x;
            /* XXX  4-byte hole      */
            /*      8      |       8 */    long y;
            /*     16: 0   |       4 */    unsigned int flags : 3;
            /*     16: 3   |       4 */    unsigned int mode : 5;
            /* XXX  1-byte hole      */
            /*     18      |       8 */    struct inner {
            /*     18      |       2 */        short a;
            /*     20      |       6 */        char tag[6];

                                               /* total size (bytes):    8 */
                                           } in;
            /* XXX  6-byte hole      */
            /*     32      |       8 */    struct point *next;
            /*     40      |       8 */    char name[8];
            /*     48      |       8 */    int (*compare)(int, int);

                                           /* total size (bytes):   56 */
                                         }
            """;

    @Test
    void readsEveryFieldWithItsOffsetSizeAndTypeNestedOnesIncluded() {
        TypeLayout layout = TypeLayout.parse(POINT);

        assertThat(layout.declaration()).isEqualTo("struct point");
        assertThat(layout.size()).isEqualTo(56);
        assertThat(layout.fields()).containsExactly(
                new TypeLayout.Field(0, 0, -1, -1, 4, "int", "x", false),
                new TypeLayout.Field(0, 8, -1, -1, 8, "long", "y", false),
                new TypeLayout.Field(0, 16, 0, 3, 4, "unsigned int", "flags", false),
                new TypeLayout.Field(0, 16, 3, 5, 4, "unsigned int", "mode", false),
                new TypeLayout.Field(0, 18, -1, -1, 8, "struct inner", "in", true),
                new TypeLayout.Field(1, 18, -1, -1, 2, "short", "a", false),
                new TypeLayout.Field(1, 20, -1, -1, 6, "char [6]", "tag", false),
                new TypeLayout.Field(0, 32, -1, -1, 8, "struct point *", "next", false),
                new TypeLayout.Field(0, 40, -1, -1, 8, "char [8]", "name", false),
                new TypeLayout.Field(0, 48, -1, -1, 8, "int (*)(int, int)", "compare", false));
    }

    @Test
    void dtShowsEachFieldAtItsOffsetWithItsValue() {
        ByteBuffer memory = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
        memory.putInt(0, 5).putLong(8, -7).putInt(16, 3 | 9 << 3).putShort(18, (short) 0x1234);
        memory.put(20, new byte[] {'a', 'b', 'c', 0}).putLong(32, 0x4c6f00L).put(40, new byte[] {'o', 'r', 'i', 'g', 0});

        assertThat(TypeCommand.dtLines(TypeLayout.parse(POINT), memory.array())).containsExactly(
                "   +0x000 x       : 0x5",
                "   +0x008 y       : 0xfffffffffffffff9",
                "   +0x010 flags   : 0x3 (bits 0-2)",
                "   +0x010 mode    : 0x9 (bits 3-7)",
                "   +0x012 in      : struct inner",
                "   +0x012    a    : 0x1234",
                "   +0x014    tag  : \"abc\"",
                "   +0x020 next    : 0x4c6f00",
                "   +0x028 name    : \"orig\"",
                "   +0x030 compare : 0x0");
        assertThat(TypeCommand.dtLines(TypeLayout.parse(POINT), null)).startsWith("   +0x000 x       : int");
    }

    @Test
    void structShowsTheCDefinitionWithOffsets() {
        assertThat(TypeCommand.structLines(TypeLayout.parse(POINT))).containsExactly(
                "struct point {",
                "    /* 0x0000 */ int x;",
                "    /* 0x0008 */ long y;",
                "    /* 0x0010 */ unsigned int flags : 3;",
                "    /* 0x0010 */ unsigned int mode : 5;",
                "    /* 0x0012 */ struct inner {",
                "        /* 0x0012 */ short a;",
                "        /* 0x0014 */ char tag[6];",
                "    } in;",
                "    /* 0x0020 */ struct point *next;",
                "    /* 0x0028 */ char name[8];",
                "    /* 0x0030 */ int (*compare)(int, int);",
                "}; /* size: 0x0038 */");
    }

    @Test
    void somethingElseThanALayoutIsRefused() {
        assertThatThrownBy(() -> TypeLayout.parse("No struct type named nosuch."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a gdb type layout");
    }
}
