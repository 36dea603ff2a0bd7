package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unix message sockets, SOCK_DGRAM and SOCK_SEQPACKET: socketpair's two connected ends, a seqpacket connection's, or
 * a named datagram socket's ({@link GuestSocket}), which sends to any bound datagram socket and hears from any unless
 * connected. Each send is one message, empty ones too, and each receive takes one message whole, dropping the bytes
 * that do not fit its buffer; open files sent with a message ({@code SCM_RIGHTS}) go with it, and so does its
 * sender's name. What Linux 6.18 does, compared natively by {@code msgpair.c} and {@code dgram.c} in
 * ProcessProgramsIT: a datagram end never reads end of file (its reads wait, or say EAGAIN, also once its peer is gone
 * or shut) and a send to a closed peer fails with ECONNREFUSED, then ENOTCONN; a seqpacket end reads end of file once
 * its peer is closed or shut for writing, sees POLLHUP when its peer is closed, and a send to it fails with EPIPE.
 * Either type's shutdown for writing makes its own sends EPIPE, and for reading its peer's. A datagram socket
 * connected to another refuses everyone else's messages (EPERM), and from a sender it is not connected back to it
 * queues one message more than {@code net.unix.max_dgram_qlen} says, as Linux does.
 */
final class MessagePair {
    static final int SOCK_DGRAM = 2;
    static final int SOCK_SEQPACKET = 5;
    /** The default socket buffer (net.core.wmem_default): a sender may have this much in flight, in Linux's count. */
    private static final int SEND_BUFFER = 212_992;
    /** The longest message: Linux refuses one longer than the send buffer less 32 bytes with EMSGSIZE. */
    static final int MAX_MESSAGE = SEND_BUFFER - 32;
    /** The host's net.unix.max_dgram_qlen (Linux's default, 10, when it cannot be read). */
    static final int MAX_QUEUE = hostQueueLimit();
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    final End first;
    final End second;

    MessagePair(Scheduler scheduler, int type, int statusFlags) {
        first = new End(scheduler, type, statusFlags);
        second = new End(scheduler, type, statusFlags);
        first.peer = second;
        second.peer = first;
    }

    /** A datagram socket of its own, connected to no one: a named datagram socket's ({@link GuestSocket}). */
    static End unconnected(Scheduler scheduler, int statusFlags) {
        return new End(scheduler, SOCK_DGRAM, statusFlags);
    }

    /**
     * Where a UDP socket's datagrams go ({@link InetDatagrams}): found by address at each send, as Linux routes them,
     * where a Unix datagram socket's go to the end it is connected to.
     */
    interface Route {
        /** Sends {@code data} from {@code sender} to {@code destination}, or to its connected peer when null. */
        int send(End sender, InetEndpoint destination, byte[] data);

        /** The longest datagram its family sends: EMSGSIZE past it. */
        int maxDatagram();
    }

    private static int hostQueueLimit() {
        // Not Files.readString: it reads a /proc file's reported size, and got "1" of "10" here.
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/unix/max_dgram_qlen"))) {
            return Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return 10;
        }
    }

    /**
     * A message waiting to be received: the files sent with it (none: empty), what it counts against its sender's
     * buffer, its sender (null: a UDP datagram, which counts against its receiver's buffer instead), and its sender's
     * name (null: unnamed).
     */
    private record Message(byte[] data, List<OpenFile> files, int cost, End sender, byte[] from) {
    }

    /**
     * What a message of {@code length} bytes counts against its sender's buffer: Linux's {@code skb->truesize}, the
     * socket buffer's header (256 bytes) and its data allocation (the bytes and 320 of shared info, rounded up to a
     * power of two), with what passes 16,064 bytes in pages beside it (at most 17 pages; the rest stays in the
     * allocation). A sender may send while less than the buffer is in flight, so the last message overshoots it.
     * Measured natively: 278 messages of 100 bytes fit, 93 of 1,000, 26 of 4,000, 13 of 10,000, 4 of 50,000, 3 of
     * 100,000, 1 of 212,960.
     */
    static int cost(int length) {
        int maxHead = 16_064;
        int paged = 0;
        if (length > maxHead) {
            paged = Math.min((length - maxHead + 4095) & -4096, 17 * 4096);
        }
        int head = length - paged;
        int allocation = Integer.highestOneBit(head + 320 - 1) << 1;
        return 256 + allocation + paged;
    }

    /** One end: it receives what is sent to it; O_NONBLOCK (SOCK_NONBLOCK, F_SETFL) says EAGAIN instead of a wait. */
    static final class End extends Connection {
        private final Scheduler scheduler;
        private final int type;
        /** Where its sends go and the only sender it hears; null: a datagram socket connected to no one (any more). */
        private End peer;
        /** Its name, which its messages carry (a named datagram socket's); null: unnamed. */
        private byte[] name;
        private final ArrayDeque<Message> inbox = new ArrayDeque<>();
        /** The cost of this end's messages no one has received yet. */
        private int inFlight;
        /** A UDP socket's router; null for a Unix one. */
        private Route route;
        /** The cost of the UDP datagrams waiting in its inbox, which its receive buffer bounds. */
        private int queued;
        /** A UDP socket's error for its next call (ECONNREFUSED: its peer's port had no socket); 0: none. */
        private int pendingError;
        private boolean readShut;
        private boolean writeShut;
        private boolean closed;

        /** Names it in the agent's notices (a deadlock's waits). */
        private final long id = NEXT_ID.getAndIncrement();

        private End(Scheduler scheduler, int type, int statusFlags) {
            super(statusFlags);
            this.scheduler = scheduler;
            this.type = type;
        }

        @Override
        public String toString() {
            return (seqpacket() ? "seqpacket" : "datagram") + " socket " + id;
        }

        @Override
        int type() {
            return type;
        }

        private boolean seqpacket() {
            return type == SOCK_SEQPACKET;
        }

        /** Makes it a UDP socket's end, whose sends {@code route} delivers. */
        void routeThrough(Route router) {
            this.route = router;
        }

        Route route() {
            return route;
        }

        /** Its next call fails with {@code errno} (a UDP socket's refused datagram, as an ICMP error sets it). */
        void failNextCall(int errno) {
            pendingError = errno;
        }

        @Override
        boolean hasError() {
            return pendingError != 0;
        }

        /** SO_ERROR: the error a previous send left, taken (0: none). */
        @Override
        int takeError() {
            int errno = pendingError;
            pendingError = 0;
            return errno;
        }

        /** The error a previous send left for this call, which it reports once. */
        private void reportError() {
            int errno = takeError();
            if (errno != 0) {
                throw new SyscallException(errno);
            }
        }

        /**
         * A UDP datagram from {@code from} (its sockaddr, as this socket's family gives it): queued while the receive
         * buffer (the default size, as the send buffer's) has room, else dropped, as Linux drops what a full socket
         * cannot take.
         */
        void arrive(byte[] data, byte[] from) {
            if (closed || readShut || queued >= SEND_BUFFER) {
                return;
            }
            Message message = new Message(data.clone(), List.of(), cost(data.length), null, from);
            inbox.addLast(message);
            queued += message.cost();
            scheduler.wakeAll(this, ReadyWait.CHANNEL);
        }

        /** bind: the name its messages carry from now on. */
        void name(byte[] address) {
            this.name = address;
        }

        /**
         * A datagram socket's connect: its sends without an address go to {@code target}, and it hears only it; null
         * (AF_UNSPEC) connects it to no one.
         */
        void connect(End target) {
            peer = target;
        }

        /** Whether receives find end of file once nothing is queued: a seqpacket end whose peer sends no more. */
        private boolean atEnd() {
            return seqpacket() && (readShut || peer.closed || peer.writeShut);
        }

        @Override
        Received receive(byte[] buffer, boolean waitAll) {
            Received got = peek(buffer);
            Message message = inbox.pollFirst();
            if (message != null) {
                forget(message);
                scheduler.wakeAll(this, ReadyWait.CHANNEL); // a sender waiting for room in the queue
                if (message.sender() != null) {
                    scheduler.wakeAll(message.sender(), ReadyWait.CHANNEL); // or for its buffer
                }
                return new Received(got.count(), got.length(), message.files().isEmpty() ? null : message.files(),
                        message.from());
            }
            return got;
        }

        /** A received or dropped message no longer counts against its sender's buffer, or a UDP socket's own. */
        private void forget(Message message) {
            if (message.sender() == null) {
                queued -= message.cost();
            } else {
                message.sender().inFlight -= message.cost();
            }
        }

        @Override
        Received peek(byte[] buffer) {
            reportError();
            Message message = inbox.peekFirst();
            if (message == null) {
                if (atEnd()) {
                    return new Received(0, 0, null, null);
                }
                throw Blocked.unlessNonBlocking(this, this);
            }
            int n = Math.min(buffer.length, message.data().length);
            System.arraycopy(message.data(), 0, buffer, 0, n);
            return new Received(n, message.data().length, null, message.from());
        }

        /** A send without an address: to its peer; ENOTCONN when it has none (any more). */
        @Override
        int send(byte[] data, List<OpenFile> files) {
            if (route != null) {
                return routed(null, data);
            }
            if (writeShut) {
                throw new SyscallException(Errno.EPIPE);
            }
            if (peer == null) {
                throw new SyscallException(SocketSyscalls.ENOTCONN);
            }
            return sendTo(peer, data, files);
        }

        /**
         * A UDP send to {@code destination} (null: the connected peer): the error a previous send left first, then
         * EPIPE once shut for writing, EMSGSIZE past what a UDP datagram holds.
         */
        int routed(InetEndpoint destination, byte[] data) {
            reportError();
            if (writeShut) {
                throw new SyscallException(Errno.EPIPE);
            }
            if (data.length > route.maxDatagram()) {
                throw new SyscallException(Errno.EMSGSIZE);
            }
            return route.send(this, destination, data);
        }

        /** sendto and sendmsg with an address: to the datagram socket {@code target}, whatever its peer is. */
        int sendTo(End target, byte[] data, List<OpenFile> files) {
            if (writeShut) {
                throw new SyscallException(Errno.EPIPE);
            }
            if (data.length > MAX_MESSAGE) {
                throw new SyscallException(Errno.EMSGSIZE);
            }
            if (inFlight >= SEND_BUFFER) {
                throw Blocked.unlessNonBlocking(this, this);
            }
            if (target.closed) {
                if (seqpacket()) {
                    throw new SyscallException(Errno.EPIPE);
                }
                if (target == peer) {
                    peer = null; // told once: later sends without an address are ENOTCONN
                }
                throw new SyscallException(Errno.ECONNREFUSED);
            }
            if (target.peer != null && target.peer != this) {
                throw new SyscallException(Errno.EPERM); // it hears only the socket it is connected to
            }
            if (target.readShut) {
                throw new SyscallException(Errno.EPIPE);
            }
            if (target.peer != this && target.inbox.size() > MAX_QUEUE) {
                throw Blocked.unlessNonBlocking(this, target);
            }
            files.forEach(OpenFile::retain);
            Message message = new Message(data.clone(), List.copyOf(files), cost(data.length), this, name);
            target.inbox.addLast(message);
            inFlight += message.cost();
            scheduler.wakeAll(target, ReadyWait.CHANNEL); // a receiver waiting for a message
            return data.length;
        }

        @Override
        void shutdown(int how) throws IOException {
            if (how < 0 || how > 2) {
                throw new SyscallException(Errno.EINVAL);
            }
            readShut |= how != 1;
            writeShut |= how != 0;
            scheduler.wakeAll(this, ReadyWait.CHANNEL);
            if (peer != null) {
                scheduler.wakeAll(peer, ReadyWait.CHANNEL);
            }
        }

        @Override
        int sendLength(long length) {
            if (unsigned(length) > (route != null ? route.maxDatagram() : MAX_MESSAGE)) {
                throw new SyscallException(Errno.EMSGSIZE);
            }
            return (int) length;
        }

        @Override
        int receiveLength(long length) {
            return (int) Math.min(unsigned(length), MAX_MESSAGE);
        }

        @Override
        boolean keepsMessages() {
            return true;
        }

        /** FIONREAD: a datagram end's next message's length, a seqpacket end's queued bytes, as Linux counts them. */
        @Override
        int available() {
            if (!seqpacket()) {
                return inbox.isEmpty() ? 0 : inbox.peekFirst().data().length;
            }
            return inbox.stream().mapToInt(m -> m.data().length).sum();
        }

        @Override
        boolean readReady() {
            return !inbox.isEmpty() || readShut || atEnd();
        }

        /** POLLHUP: shut both ways, a seqpacket end's peer counting (its close shuts both). */
        @Override
        boolean hungUp() {
            if (seqpacket()) {
                return atEnd() && (writeShut || peer.readShut || peer.closed);
            }
            return readShut && writeShut;
        }

        /** Its last descriptor closed: messages no one will receive are dropped with their files. */
        @Override
        void release() throws IOException {
            closed = true;
            while (!inbox.isEmpty()) {
                Message message = inbox.pollFirst();
                forget(message);
                dropAll(message.files());
                if (message.sender() != null) {
                    scheduler.wakeAll(message.sender(), ReadyWait.CHANNEL); // a sender waiting for its buffer
                }
            }
            if (peer != null) {
                scheduler.wakeAll(peer, ReadyWait.CHANNEL); // its peer's receives end or its sends fail
            }
            scheduler.wakeAll(this, ReadyWait.CHANNEL); // senders waiting for room in its queue
        }
    }
}
