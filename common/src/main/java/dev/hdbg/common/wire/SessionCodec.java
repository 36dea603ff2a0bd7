package dev.hdbg.common.wire;

import dev.hdbg.common.model.AttachMode;

/** Translates how a host attaches, {@link AttachMode}, between the common model and protobuf. */
public final class SessionCodec {
    private SessionCodec() {
    }

    public static dev.hdbg.proto.v1.AttachMode encode(AttachMode mode) {
        return switch (mode) {
            case CONTROL -> dev.hdbg.proto.v1.AttachMode.ATTACH_MODE_CONTROL;
            case TAKEOVER -> dev.hdbg.proto.v1.AttachMode.ATTACH_MODE_TAKEOVER;
            case OBSERVE -> dev.hdbg.proto.v1.AttachMode.ATTACH_MODE_OBSERVE;
        };
    }

    /**
     * The mode a host asks for; none means CONTROL, as hosts before protocol 1.5 send none.
     *
     * @throws WireFormatException when the mode is unknown to this agent
     */
    public static AttachMode decode(dev.hdbg.proto.v1.AttachMode mode) {
        return switch (mode) {
            case ATTACH_MODE_UNSPECIFIED, ATTACH_MODE_CONTROL -> AttachMode.CONTROL;
            case ATTACH_MODE_TAKEOVER -> AttachMode.TAKEOVER;
            case ATTACH_MODE_OBSERVE -> AttachMode.OBSERVE;
            case UNRECOGNIZED -> throw new WireFormatException("unknown attach mode: control, takeover or observe");
        };
    }

    /**
     * The mode an agent granted in its Hello reply: OBSERVE, or else CONTROL (which a takeover is once granted, and
     * which agents before protocol 1.5 grant without saying).
     */
    public static AttachMode granted(dev.hdbg.proto.v1.AttachMode mode) {
        return mode == dev.hdbg.proto.v1.AttachMode.ATTACH_MODE_OBSERVE ? AttachMode.OBSERVE : AttachMode.CONTROL;
    }
}
