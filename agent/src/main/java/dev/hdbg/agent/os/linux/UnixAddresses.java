package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One process's reading of the Unix socket addresses (struct sockaddr_un) it passes to bind, connect, sendto and
 * sendmsg: an abstract name, or a path beneath the root resolved through the sandbox, each with the key the machine's
 * sockets are registered under ({@link UnixSocketNames}); and the address it gets back from recvfrom and recvmsg.
 */
final class UnixAddresses {
    static final int AF_UNIX = 1;
    private static final int AF_UNSPEC = 0;
    static final int ECONNREFUSED = 111;
    static final int EADDRINUSE = 98;
    static final int EPROTOTYPE = 91;
    /** sizeof(struct sockaddr_un): the family and 108 bytes of path. */
    static final int SOCKADDR_UN = 110;

    private final LinuxProcess process;
    private final UserMemory user;
    private final WriteAccess writeAccess;

    UnixAddresses(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.writeAccess = new WriteAccess(process);
    }

    /**
     * A sockaddr_un read from the guest: its bytes (family and name, trailing NULs of a path dropped), its key, and
     * its host file (null: an abstract name).
     */
    record Name(byte[] address, String key, Path file) {
    }

    /**
     * The name at {@code address}: an abstract one (a leading NUL: the rest, every byte counted), or a path beneath the
     * root, whose key is its directory's real host path and its file name ({@code forBind}: the file must not exist
     * yet; otherwise it must).
     */
    Name name(long address, int length, boolean forBind) throws IOException {
        if (length < 2 || length > SOCKADDR_UN) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] raw = user.read(address, length);
        if (SocketFile.family(raw) != AF_UNIX) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (length == 2) {
            throw new SyscallException(Errno.EINVAL); // the family alone: only bind takes it (familyOnly)
        }
        if (raw[2] == 0) {
            return new Name(raw, "\0" + new String(raw, 3, length - 3, StandardCharsets.ISO_8859_1), null);
        }
        int end = 2;
        while (end < length && raw[end] != 0) {
            end++;
        }
        String path = new String(raw, 2, end - 2, StandardCharsets.UTF_8);
        byte[] address0 = Arrays.copyOf(raw, end + 1); // the path and its NUL, as Linux gives it back
        Sandbox.Resolved resolved = process.sandbox().resolve(process.cwd(), path, !forBind);
        if (resolved.isVirtual()) {
            throw new SyscallException(forBind ? Errno.EACCES : resolved.node() != null ? ECONNREFUSED : Errno.ENOENT);
        }
        Path host = resolved.host();
        if (forBind) {
            writeAccess.require(resolved);
            if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                throw new SyscallException(EADDRINUSE);
            }
            Path parent = host.getParent().toRealPath();
            return new Name(address0, parent.resolve(host.getFileName()).toString(), host);
        }
        if (!Files.exists(host)) {
            throw new SyscallException(Errno.ENOENT);
        }
        return new Name(address0, host.toRealPath().toString(), host);
    }

    /** Whether the address is the family alone, AF_UNIX: bind's request for a name of the machine's choosing. */
    boolean familyOnly(long address, int length) {
        return length == 2 && SocketFile.family(user.read(address, 2)) == AF_UNIX;
    }

    /** Whether the address's family is AF_UNSPEC: a datagram socket's connect to no one (a Unix one's, a UDP one's). */
    boolean unspecified(long address, int length) {
        return length >= 2 && SocketFile.family(user.read(address, 2)) == AF_UNSPEC;
    }

    /** The sockaddr_un bytes of the abstract name {@code key} (its leading NUL included), as Linux gives them back. */
    static byte[] abstractAddress(String key) {
        byte[] name = key.getBytes(StandardCharsets.ISO_8859_1);
        byte[] address = new byte[2 + name.length];
        address[0] = AF_UNIX;
        System.arraycopy(name, 0, address, 2, name.length);
        return address;
    }

    /**
     * The socket of type {@code type} bound to the name at {@code address}: ECONNREFUSED when none is (or, at an
     * abstract name, none of that type: Linux keeps abstract names apart by type), EPROTOTYPE for another type at a
     * path, ENOENT when the path does not exist.
     */
    GuestSocket bound(long address, int length, int type) throws IOException {
        Name name = name(address, length, false);
        GuestSocket socket = process.table().sockets().unix().find(name.key())
                .orElseThrow(() -> new SyscallException(ECONNREFUSED));
        if (socket.type != type) {
            throw new SyscallException(name.file() == null ? ECONNREFUSED : EPROTOTYPE);
        }
        return socket;
    }

    /**
     * An address given back (accept's, getsockname's, recvfrom's): cut to the room the caller gives at
     * {@code lengthAddress}, the length written the whole; nothing at all when {@code address} is NULL, as Linux does.
     */
    void giveBack(byte[] name, long address, long lengthAddress) {
        if (address == 0) {
            return;
        }
        int room = user.readInt(lengthAddress);
        if (room < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        user.write(address, Arrays.copyOf(name, Math.min(room, name.length)));
        user.writeInt(lengthAddress, name.length);
    }
}
