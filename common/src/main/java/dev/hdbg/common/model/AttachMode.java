package dev.hdbg.common.model;

/** How a host attaches to an agent. Since protocol 1.5. */
public enum AttachMode {
    /** Control the target; refused (BUSY, naming the attached host) while another host controls it. */
    CONTROL,
    /** Control the target; the host controlling it is told and disconnected. */
    TAKEOVER,
    /** Receive the records produced from now on and read state; requests that change anything fail READ_ONLY. */
    OBSERVE
}
