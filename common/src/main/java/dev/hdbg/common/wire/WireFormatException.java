package dev.hdbg.common.wire;

/** A message that parsed as protobuf but whose fields are missing, out of range or inconsistent. */
public final class WireFormatException extends IllegalArgumentException {
    public WireFormatException(String message) {
        super(message);
    }
}
