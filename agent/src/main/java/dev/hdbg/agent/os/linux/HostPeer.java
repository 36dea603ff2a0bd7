package dev.hdbg.agent.os.linux;

/**
 * A host program's end of a connection the agent forwards into the machine ({@link ForwardedConnection}): a real
 * socket of the host, which the agent's threads read and write. Its methods are called on the execution thread and
 * never wait.
 */
public interface HostPeer {
    /** Bytes the program sent, for the host program. */
    void send(byte[] data);

    /** The program will send no more (it shut its sending side, or closed): the host program reads end of file. */
    void endOfStream();

    /** The connection is over (or was refused: no one listens at the forwarded port): the host socket closes. */
    void close();

    /** The machine took {@code bytes} of what the host sent: room for the host to send more. */
    void taken(int bytes);
}
