package dev.hdbg.common.model;

/**
 * Part of a file of the target's file system ({@code ReadFileRequest}, since protocol 1.17).
 *
 * @param size the whole file's size
 * @param data the bytes from the offset asked, up to the length asked or the file's end; empty at or past the end
 */
public record FilePart(long size, byte[] data) {
    public FilePart {
        if (size < 0) {
            throw new IllegalArgumentException("a file's size is never negative: " + size);
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }
}
