package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The machine's names, as uname(2) gives them and {@code /proc/sys/kernel} shows them: the machine is its own, named
 * hdbg, whatever host the agent runs on.
 */
final class Uname {
    static final String SYSTEM_NAME = "Linux";
    static final String NODE_NAME = "hdbg";
    static final String RELEASE = "6.1.0";
    static final String VERSION = "#1 SMP PREEMPT_DYNAMIC";
    static final String MACHINE = "x86_64";
    static final String DOMAIN_NAME = "(none)";
    /** sys/utsname.h: each field's length, its NUL included. */
    private static final int FIELD = 65;

    private Uname() {
    }

    /** struct utsname: six fields of {@value #FIELD} bytes. */
    static byte[] utsname() {
        String[] fields = {SYSTEM_NAME, NODE_NAME, RELEASE, VERSION, MACHINE, DOMAIN_NAME};
        ByteBuffer utsname = UserMemory.struct(FIELD * fields.length);
        for (int i = 0; i < fields.length; i++) {
            utsname.put(FIELD * i, fields[i].getBytes(StandardCharsets.US_ASCII));
        }
        return utsname.array();
    }
}
