package dev.hdbg.common.script;

/**
 * The sizes a script may have. They keep a hostile script from costing the host or the agent more than a clear error:
 * no input makes the parser or the compiler run out of stack or memory. Each error that one of them causes names it.
 *
 * @param maxSourceChars   characters in a script's text
 * @param maxNesting       how deep parentheses, unary operators, blocks and chains of binary operators may nest
 *                         (the height of the syntax tree); the parser and the compiler recurse that deep at most
 * @param maxLiteralChars  characters of one number, identifier or string literal as written
 * @param maxStringBytes   bytes of one string literal after its escapes are applied (HyperDbg's printf buffer is a
 *                         4 KiB page)
 * @param maxVariables     local variables of the script or of one function (HyperDbg's {@code MAX_VAR_COUNT})
 * @param maxFunctions     user functions in one script
 * @param maxArguments     arguments of one call, parameters of one function, and printf arguments
 */
public record ScriptLimits(int maxSourceChars, int maxNesting, int maxLiteralChars, int maxStringBytes,
                           int maxVariables, int maxFunctions, int maxArguments) {
    /** The limits hdbg applies. */
    public static final ScriptLimits DEFAULT = new ScriptLimits(256 * 1024, 256, 256, 4096, 512, 256, 32);

    public ScriptLimits {
        if (maxSourceChars < 1 || maxNesting < 8 || maxLiteralChars < 16 || maxStringBytes < 16 || maxVariables < 1
                || maxFunctions < 0 || maxArguments < 4) {
            throw new IllegalArgumentException("script limits too small to be useful: " + maxSourceChars + ", "
                    + maxNesting + ", " + maxLiteralChars + ", " + maxStringBytes + ", " + maxVariables + ", "
                    + maxFunctions + ", " + maxArguments);
        }
        // The JVM caps a method at 255 parameter slots and a long takes two; the compiled function also takes the
        // host and the core's locals.
        if (maxArguments > 100) {
            throw new IllegalArgumentException("maxArguments " + maxArguments
                    + " is over the JVM's 100 long parameters");
        }
    }
}
