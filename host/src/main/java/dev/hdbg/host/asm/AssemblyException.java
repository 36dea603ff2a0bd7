package dev.hdbg.host.asm;

/**
 * The assembler refused the source, or could not be run. An {@link IllegalArgumentException}: the command line shows
 * its message as any other refusal of what the user typed, and adds nothing.
 */
public final class AssemblyException extends IllegalArgumentException {
    public AssemblyException(String message) {
        super(message);
    }
}
