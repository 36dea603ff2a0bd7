package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/** Linux errno values (asm-generic/errno-base.h, errno.h) and the mapping from Java's I/O exceptions. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBUSY = 16;
    static final int E2BIG = 7;
    static final int ENOEXEC = 8;
    static final int ECHILD = 10;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int EROFS = 30;
    static final int EMLINK = 31;
    static final int EXDEV = 18;
    static final int EMFILE = 24;
    static final int ENOTTY = 25;
    static final int EFBIG = 27;
    static final int ENOSPC = 28;
    static final int ESPIPE = 29;
    static final int EPIPE = 32;
    static final int EDOM = 33;
    static final int ERANGE = 34;
    static final int ENAMETOOLONG = 36;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int ENODATA = 61;
    static final int EDESTADDRREQ = 89;
    static final int EMSGSIZE = 90;
    static final int ENOPROTOOPT = 92;
    static final int EPROTONOSUPPORT = 93;
    static final int ESOCKTNOSUPPORT = 94;
    static final int EOPNOTSUPP = 95;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETUNREACH = 101;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int EISCONN = 106;
    static final int ENOTCONN = 107;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EINPROGRESS = 115;

    private Errno() {
    }

    /** The errno a host I/O failure stands for; EIO when Java does not say. */
    static int of(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> ENOENT;
            case AccessDeniedException x -> EACCES;
            case FileAlreadyExistsException x -> EEXIST;
            case NotDirectoryException x -> ENOTDIR;
            case DirectoryNotEmptyException x -> ENOTEMPTY;
            case NotLinkException x -> EINVAL;
            case FileSystemLoopException x -> ELOOP;
            case FileSystemException x when "Is a directory".equals(x.getReason()) -> EISDIR;
            case FileSystemException x when "Not a directory".equals(x.getReason()) -> ENOTDIR;
            case FileSystemException x when "Invalid cross-device link".equals(x.getReason()) -> EXDEV;
            case FileSystemException x when "Too many links".equals(x.getReason()) -> EMLINK;
            case FileSystemException x when "Operation not permitted".equals(x.getReason()) -> EPERM;
            case FileSystemException x when "No space left on device".equals(x.getReason()) -> ENOSPC;
            default -> EIO;
        };
    }
}
