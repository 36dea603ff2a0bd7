package dev.hdbg.agent.machine.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds minimal ELF64 x86-64 files by hand, for layouts a compiler would not produce (segments sharing a page,
 * no PT_LOAD, odd headers). No sections. Each segment's file bytes follow the program headers, in order.
 */
final class TinyElf {
    record Segment(int type, int flags, long vaddr, byte[] bytes, long memsz) {
    }

    private final List<Segment> segments = new ArrayList<>();
    private int type = ElfImage.ET_EXEC;
    private long entry;

    TinyElf type(int elfType) {
        this.type = elfType;
        return this;
    }

    TinyElf entry(long address) {
        this.entry = address;
        return this;
    }

    TinyElf segment(int segmentType, int flags, long vaddr, byte[] bytes, long memsz) {
        segments.add(new Segment(segmentType, flags, vaddr, bytes, memsz));
        return this;
    }

    TinyElf load(int flags, long vaddr, byte[] bytes, long memsz) {
        return segment(ElfImage.PT_LOAD, flags, vaddr, bytes, memsz);
    }

    byte[] build() {
        int headers = 64 + 56 * segments.size();
        int size = headers + segments.stream().mapToInt(s -> s.bytes().length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) type).putShort((short) 62).putInt(1).putLong(entry).putLong(64).putLong(0).putInt(0);
        b.putShort((short) 64).putShort((short) 56).putShort((short) segments.size());
        b.putShort((short) 64).putShort((short) 0).putShort((short) 0);
        long offset = headers;
        for (Segment s : segments) {
            b.putInt(s.type()).putInt(s.flags()).putLong(offset).putLong(s.vaddr()).putLong(s.vaddr())
                    .putLong(s.bytes().length).putLong(s.memsz()).putLong(0x1000);
            offset += s.bytes().length;
        }
        for (Segment s : segments) {
            b.put(s.bytes());
        }
        return b.array();
    }
}
