package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.wire.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The last reply of a connection the agent ends reaches a host that is still sending: a real socket on loopback, on
 * each transport. A plain close with the host's bytes unread makes Linux send a reset, and the host's system drops
 * the reply before the host reads it ("Connection reset"): HostileInputIT met it with a 100 MiB frame's rest.
 */
class ClosingReplyTest {
    private static final byte[] REPLY = "malformed frame; closing the connection".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHostStillSendingReadsTheLastReplyAndThenTheEnd(Transport transport) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.handlers());
        try {
            Channel server = new ServerBootstrap().group(group).channel(transport.serverSocketChannel())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        private boolean replied;

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            if (!replied) {
                                replied = true; // the first bytes are enough to judge the frame: the rest is unread
                                ClosingReply.send(ctx, Unpooled.wrappedBuffer(REPLY));
                            }
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (Socket host = new Socket("127.0.0.1", port)) {
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> sendMebibytes(host, 4));
                byte[] read = readToEnd(host.getInputStream());
                sent.get(30, TimeUnit.SECONDS);

                assertThat(new String(read, StandardCharsets.US_ASCII)).isEqualTo(new String(REPLY, StandardCharsets.US_ASCII));
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    private static void sendMebibytes(Socket socket, int mebibytes) {
        try {
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < mebibytes * 16; i++) {
                out.write(chunk);
            }
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the agent's side reset the connection while the host sent", e);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
        }
        return all.toByteArray();
    }
}
