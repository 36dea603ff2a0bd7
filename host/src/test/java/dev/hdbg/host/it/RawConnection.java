package dev.hdbg.host.it;

import dev.hdbg.common.wire.Protocol;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.HelloRequest;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** A bare socket speaking the framing by hand, to send what a well-behaved client never would. */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(Envelope envelope) throws IOException {
        byte[] body = envelope.toByteArray();
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    Envelope hello(String token) throws IOException {
        return hello(token, new String[0]);
    }

    /** Hello (request id 1) with {@code token} and {@code capabilities}; the reply. */
    private Envelope hello(String token, String... capabilities) throws IOException {
        send(Envelope.newBuilder().setRequestId(1).setHelloRequest(HelloRequest.newBuilder()
                .setVersion(Protocol.version()).setClientName("raw-test").setToken(token)
                .addAllCapabilities(java.util.List.of(capabilities))).build());
        return receive();
    }

    /** The next reply (record batches skipped). */
    Envelope receive() throws IOException {
        while (true) {
            int length = in.readInt();
            byte[] body = new byte[length];
            in.readFully(body);
            Envelope envelope = Envelope.parseFrom(body);
            if (!envelope.hasRecordBatch()) {
                return envelope;
            }
        }
    }

    /** Hello announcing that this host acknowledges records, as real hosts since 1.4 do. */
    Envelope helloAcknowledging() throws IOException {
        return hello("", Protocol.RECORDS_ACK);
    }

    /** A Hello of a 1.5 host that promises to ping while idle (and then, in the tests, never does). */
    Envelope helloPinging() throws IOException {
        return hello("", Protocol.PING);
    }

    /** Reads frames until {@code count} records have come, replies skipped; their sequence numbers in order. */
    List<Long> receiveRecords(int count) throws IOException {
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < count) {
            int length = in.readInt();
            byte[] body = new byte[length];
            in.readFully(body);
            Envelope envelope = Envelope.parseFrom(body);
            if (envelope.hasRecordBatch()) {
                envelope.getRecordBatch().getRecordsList().forEach(r -> seqs.add(r.getSeq()));
            }
        }
        return seqs;
    }

    /** Whether the agent closed the connection (reading reaches the end of the stream). */
    boolean closedByPeer() throws IOException {
        try {
            while (true) {
                int length = in.readInt();
                in.skipNBytes(length);
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /**
     * Half-closes and waits for the agent to close its side, as a host that detaches would: the agent has then
     * let this connection go, and the next host a test starts is not refused as busy.
     */
    @Override
    public void close() throws IOException {
        try {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
                socket.setSoTimeout(5_000);
                while (in.read(new byte[4096]) >= 0) {
                    // what the agent still sends before it closes
                }
            }
        } catch (IOException e) {
            // reset or timed out: closing is all that is left
        } finally {
            socket.close();
        }
    }
}
