package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A socket of the machine that {@code socket} made, a Unix one or an Internet one (IPv4 or IPv6, on the machine's
 * loopback): named by {@code bind} (a Unix socket file beneath the root or an abstract name; an address and port),
 * listening after {@code listen} with a queue of the connections {@code connect} made that {@code accept} takes, or
 * connected: one end of a {@link SocketPair} then carries its bytes, as socketpair's do, or of a {@link MessagePair}
 * for a seqpacket socket. A datagram socket has a {@link MessagePair.End} of its own from the start, which receives
 * what is sent to its name, and sends to its peer once connected. Its peers are the machine's own processes: a host
 * process cannot connect to it, nor it to one.
 */
final class GuestSocket extends SocketFile {
    /** SOMAXCONN: the most connections a listener keeps waiting, whatever listen asked. */
    static final int MAX_BACKLOG = 4096;

    /** AF_UNIX, AF_INET or AF_INET6. */
    final int domain;
    final int type;
    private Connection connection;
    /** Its own address and its peer's, as sockaddr bytes of its domain; null: unnamed. */
    private byte[] address;
    private byte[] peerAddress;
    /** What forgets its name when it closes; null while it has none. */
    private Runnable unbind;
    /** Non-null while listening: the connections waiting for accept. */
    private ArrayDeque<Pending> pending;
    private int backlog;
    /** The process that last called listen: its clients' peer. */
    private long listenerPid;
    /**
     * A TCP socket's connect that said EINPROGRESS (a non-blocking one), until a connect again says how it ended: it
     * was refused when it has no connection, and {@code connectError} is what SO_ERROR or that connect reports.
     */
    private boolean connecting;
    private int connectError;

    /**
     * A connection waiting for accept: the server's end, and the addresses its socket will have: its own (null: the
     * listener's) and its peer's (null: unnamed).
     */
    record Pending(Connection end, byte[] local, byte[] peer) {
    }

    private GuestSocket(int domain, int type, int statusFlags) {
        super(statusFlags);
        this.domain = domain;
        this.type = type;
    }

    /** socket's: a datagram socket gets its own end at once (it receives once named), the others when connected. */
    static GuestSocket of(int domain, int type, int statusFlags, Scheduler scheduler) {
        GuestSocket socket = new GuestSocket(domain, type, statusFlags);
        if (type == MessagePair.SOCK_DGRAM) {
            socket.connection = MessagePair.unconnected(scheduler, statusFlags);
        }
        return socket;
    }

    /** An accepted connection: the server's end, of the listener's domain and type, named as {@code pending} says. */
    static GuestSocket accepted(Pending pending, GuestSocket listener, int statusFlags) {
        GuestSocket socket = new GuestSocket(listener.domain, listener.type, statusFlags);
        socket.connection = pending.end();
        socket.address = pending.local() != null ? pending.local() : listener.address;
        socket.peerAddress = pending.peer();
        pending.end().setStatusFlags(statusFlags);
        return socket;
    }

    boolean inet() {
        return domain != UnixAddresses.AF_UNIX;
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

    /**
     * bind: named {@code address}, which {@code unbind} forgets when it closes; EINVAL when named already. A Unix
     * datagram socket's messages carry its name from now on.
     */
    void bind(byte[] address, Runnable unbind) {
        if (this.address != null) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (connection instanceof MessagePair.End datagrams && type == MessagePair.SOCK_DGRAM && !inet()) {
            datagrams.name(address);
        }
        this.address = address;
        this.unbind = unbind;
    }

    /** Its address once a connect chose where it sends from (an Internet socket bound to the any address). */
    void rename(byte[] newAddress) {
        this.address = newAddress;
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
        String listening = pending != null ? "listening " : "";
        if (inet()) {
            String kind = type == SocketSyscalls.SOCK_STREAM ? "tcp" : "udp";
            return listening + kind + " socket " + (address == null ? "unnamed" : InetEndpoint.parse(address, domain));
        }
        return listening + "unix socket " + (address == null ? "unnamed" : unixName(address));
    }

    /** A Unix socket's name as Linux shows it (/proc/net/unix, ss): its path, or {@code @} and an abstract name. */
    static String unixName(byte[] address) {
        return address.length > 2 && address[2] == 0
                ? "@" + new String(address, 3, address.length - 3, StandardCharsets.ISO_8859_1)
                : new String(address, 2, address.length - 3, StandardCharsets.UTF_8);
    }

    /**
     * connect by process {@code pid}: {@code mine} is this socket's end of a new connection to {@code listener}, whose
     * address is {@code peer} to this socket; {@code theirs} waits in the listener's queue. Each end's SO_PEERCRED
     * names the other side.
     */
    void connectTo(GuestSocket listener, Connection mine, Pending theirs, byte[] peer, long pid) {
        mine.setPeerPid(listener.listenerPid);
        theirs.end().setPeerPid(pid);
        connection = mine;
        peerAddress = peer;
        mine.setStatusFlags(statusFlags());
        listener.enqueue(theirs);
    }

    /** A connection for a listener's accept: a client's of the machine, or a forwarded host program's. */
    void enqueue(Pending connection) {
        pending.add(connection);
    }

    /** A Unix datagram socket's connect to the bound datagram socket {@code target} (again at each call). */
    void connectDatagrams(GuestSocket target) {
        datagrams().connect(target.datagrams());
        peerAddress = target.address;
    }

    /** An Internet datagram socket's connect: its sends without an address go to {@code peer}, and it hears only it. */
    void connectDatagrams(byte[] peer) {
        peerAddress = peer;
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

    /** A non-blocking TCP connect said EINPROGRESS; {@code refusedWith} is its error, 0 when it connected. */
    void connectingWith(int refusedWith) {
        connecting = true;
        connectError = refusedWith;
    }

    /**
     * A connect after EINPROGRESS: nothing when it connected (then EISCONN, as a connected socket's); else the error,
     * or ECONNABORTED once SO_ERROR took it, as Linux says, and the socket may connect again.
     */
    void finishConnect() {
        connecting = false;
        if (connection != null) {
            return;
        }
        int errno = connectError != 0 ? connectError : Errno.ECONNABORTED;
        connectError = 0;
        throw new SyscallException(errno);
    }

    boolean connecting() {
        return connecting;
    }

    /** SO_ERROR: a refused connect's error, or its connection's (a reset, a refused datagram), taken (0: none). */
    @Override
    int takeError() {
        int errno = connectError;
        connectError = 0;
        return errno != 0 || connection == null ? errno : connection.takeError();
    }

    @Override
    boolean hasError() {
        return connectError != 0 || connection != null && connection.hasError();
    }

    /** Whether its queue has room for another connection: Linux's holds one more than the backlog. */
    boolean hasRoom() {
        return pending.size() <= backlog;
    }

    /** The oldest connection waiting for accept, or null. */
    Pending take() {
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
        return connecting || pending != null && !pending.isEmpty(); // connecting without a connection: refused
    }

    /** POLLHUP: a connection's peer gone, or a TCP socket neither connected nor listening (Linux's TCP_CLOSE). */
    @Override
    boolean hungUp() {
        if (connection != null) {
            return connection.hungUp();
        }
        return inet() && type == SocketSyscalls.SOCK_STREAM && pending == null;
    }

    @Override
    boolean keepsMessages() {
        return connection != null && connection.keepsMessages();
    }


    /** Its last descriptor closed: its connection ends, its name is forgotten, connections never accepted end too. */
    @Override
    void release() throws IOException {
        if (connection != null) {
            connection.release();
        }
        if (unbind != null) {
            unbind.run();
        }
        if (pending != null) {
            for (Pending waiting : pending) {
                waiting.end().release(); // the client reads end of file
            }
            pending.clear();
        }
    }
}
