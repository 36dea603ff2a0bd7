package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * A Unix socket of the machine: made by {@code socket}, named by {@code bind} (a socket file beneath the root, or an
 * abstract name), listening after {@code listen} with a queue of the connections {@code connect} made that
 * {@code accept} takes, or connected: one end of a {@link SocketPair} then carries its bytes, as socketpair's do, or
 * of a {@link MessagePair} for a seqpacket socket. A datagram socket has a {@link MessagePair.End} of its own from
 * the start, which receives what any datagram socket sends to its name, and sends to its peer once connected. Its
 * peers are the machine's own processes: a host process cannot connect to it, nor it to one.
 */
final class UnixSocket extends OpenFile {
    /** SOMAXCONN: the most connections a listener keeps waiting, whatever listen asked. */
    static final int MAX_BACKLOG = 4096;

    final int type;
    private Connection connection;
    /** Its own address and its peer's, as sockaddr_un bytes; null: unnamed. */
    private byte[] address;
    private byte[] peerAddress;
    /** Where bind registered it, to be forgotten when it closes. */
    private UnixSocketNames names;
    private String key;
    /** Non-null while listening: the connections waiting for accept, each the server's end. */
    private ArrayDeque<Connection> pending;
    private int backlog;
    /** The process that last called listen: its clients' peer. */
    private long listenerPid;

    private UnixSocket(int type, int statusFlags) {
        super(O_RDWR | statusFlags);
        this.type = type;
    }

    /** socket's: a datagram socket gets its own end at once (it receives once named), the others when connected. */
    static UnixSocket of(int type, int statusFlags, Scheduler scheduler) {
        UnixSocket socket = new UnixSocket(type, statusFlags);
        if (type == MessagePair.SOCK_DGRAM) {
            socket.connection = MessagePair.unconnected(scheduler, statusFlags);
        }
        return socket;
    }

    /** An accepted connection: the server's end, named as the listener is and of its type. */
    static UnixSocket accepted(Connection end, UnixSocket listener, int statusFlags) {
        UnixSocket socket = new UnixSocket(listener.type, statusFlags);
        socket.connection = end;
        socket.address = listener.address;
        end.setStatusFlags(statusFlags);
        return socket;
    }

    Connection connection() {
        return connection;
    }

    boolean listening() {
        return pending != null;
    }

    byte[] address() {
        return address;
    }

    byte[] peerAddress() {
        return peerAddress;
    }

    /** bind: named {@code address}, registered as {@code key} in {@code names}; EINVAL when named already. */
    void bind(byte[] address, UnixSocketNames names, String key) {
        if (this.address != null) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (connection instanceof MessagePair.End datagrams && type == MessagePair.SOCK_DGRAM) {
            datagrams.name(address);
        }
        this.address = address;
        this.names = names;
        this.key = key;
        names.register(key, this);
    }

    /**
     * listen: a named stream or seqpacket socket that is not connected starts (or goes on) listening; {@code pid},
     * the caller, is what its clients' SO_PEERCRED names.
     */
    void listen(int requested, long pid) {
        if (type != SocketSyscalls.SOCK_STREAM && type != MessagePair.SOCK_SEQPACKET) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        if (address == null || connection != null) {
            throw new SyscallException(Errno.EINVAL);
        }
        listenerPid = pid;
        backlog = Math.clamp(requested, 0, MAX_BACKLOG);
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
    }

    /** How a deadlock's notice names what a thread waits for: the socket and its name. */
    @Override
    public String toString() {
        String name = address == null ? "unnamed" : address.length > 2 && address[2] == 0
                ? "@" + new String(address, 3, address.length - 3, java.nio.charset.StandardCharsets.ISO_8859_1)
                : new String(address, 2, address.length - 3, java.nio.charset.StandardCharsets.UTF_8);
        return (pending != null ? "listening " : "") + "unix socket " + name;
    }

    /**
     * connect by process {@code pid}: {@code mine} is this socket's end of a new connection to {@code listener};
     * {@code theirs} waits in the listener's queue. Each end's SO_PEERCRED names the other side.
     */
    void connectTo(UnixSocket listener, Connection mine, Connection theirs, long pid) {
        mine.setPeerPid(listener.listenerPid);
        theirs.setPeerPid(pid);
        connection = mine;
        peerAddress = listener.address;
        mine.setStatusFlags(statusFlags());
        listener.pending.add(theirs);
    }

    /** A datagram socket's connect to the bound datagram socket {@code target} (again at each call). */
    void connectDatagrams(UnixSocket target) {
        datagrams().connect(target.datagrams());
        peerAddress = target.address;
    }

    /** A datagram socket's connect with AF_UNSPEC: its sends need an address again, and it hears everyone. */
    void disconnectDatagrams() {
        datagrams().connect(null);
        peerAddress = null;
    }

    /** A datagram socket's own end: what it receives and sends through. */
    MessagePair.End datagrams() {
        if (type != MessagePair.SOCK_DGRAM) {
            throw new IllegalStateException("a " + type + " socket has no datagram end");
        }
        return (MessagePair.End) connection;
    }

    /** Whether getpeername has a peer to name: a connection, or a datagram socket's connect. */
    boolean hasPeer() {
        return type == MessagePair.SOCK_DGRAM ? peerAddress != null : connection != null;
    }

    /** Whether its queue has room for another connection: Linux's holds one more than the backlog. */
    boolean hasRoom() {
        return pending.size() <= backlog;
    }

    /** The oldest connection waiting for accept, or null. */
    Connection take() {
        return pending.poll();
    }

    @Override
    void setStatusFlags(int flags) {
        super.setStatusFlags(flags);
        if (connection != null) {
            connection.setStatusFlags(flags);
        }
    }

    @Override
    int read(byte[] buffer) throws IOException {
        return connected().read(buffer);
    }

    @Override
    int write(byte[] data) throws IOException {
        return connected().write(data);
    }

    /** Its connection: ENOTCONN before it has one. */
    Connection connected() {
        if (connection == null) {
            throw new SyscallException(SocketSyscalls.ENOTCONN);
        }
        return connection;
    }

    @Override
    int available() {
        if (connection == null) {
            throw new SyscallException(Errno.EINVAL);
        }
        return connection.available();
    }

    @Override
    boolean readReady() {
        if (connection != null) {
            return connection.readReady();
        }
        return pending != null && !pending.isEmpty();
    }

    @Override
    boolean hungUp() {
        return connection != null && connection.hungUp();
    }

    @Override
    boolean keepsMessages() {
        return connection != null && connection.keepsMessages();
    }

    @Override
    byte[] stat() {
        return Stat.synthetic(Stat.S_IFSOCK | 0777, 0, 0x20000, Credentials.UID, Credentials.GID);
    }

    /** Its last descriptor closed: its connection ends, its name is forgotten, connections never accepted end too. */
    @Override
    void release() throws IOException {
        if (connection != null) {
            connection.release();
        }
        if (names != null) {
            names.forget(key, this);
        }
        if (pending != null) {
            for (Connection end : pending) {
                end.release(); // the client reads end of file
            }
            pending.clear();
        }
    }
}
