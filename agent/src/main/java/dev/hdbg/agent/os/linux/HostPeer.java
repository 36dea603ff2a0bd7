package dev.hdbg.agent.os.linux;

/**
 * A host program's end of a connection the agent forwards into the machine ({@link ForwardedConnection}): a real
 * socket of the host, which the agent's threads read and write. Its methods are called on the execution thread and
 * never wait.
 */
public interface HostPeer {
    /** Bytes the program sent, for the host program. */
    void send(byte[] data);

    /**
     * Whether the host end takes more now: false while what it has not sent yet reaches its bound, so that a host
     * program that does not read holds the program's writes back (the connection's pipe fills) instead of memory.
     */
    boolean canSend();

    /** The program will send no more (it shut its sending side, or closed): the host program reads end of file. */
    void endOfStream();

    /** The connection is over: the host socket closes. */
    void close();

    /** No one listens at the forwarded port (or its queue is full): the host socket is reset, as a refusal is. */
    void refuse();

    /** The machine took {@code bytes} of what the host sent: room for the host to send more. */
    void taken(int bytes);
}
