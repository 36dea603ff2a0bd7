package dev.hdbg.common.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What HyperDbg's {@code !track} saw: the calls and returns the target executed, in order, over a number of
 * instructions. Exact on an emulator: every instruction is looked at.
 *
 * @param transfers    the calls and returns, in execution order
 * @param instructions how many instructions ran while tracking
 * @param dropped      transfers that happened but were not kept, past {@link #MAX_TRANSFERS}
 */
public record CallTrack(List<Transfer> transfers, long instructions, long dropped) {
    /** At most this many transfers come back from one {@code !track}: each is a few bytes on the wire, under 4 MiB. */
    public static final int MAX_TRANSFERS = 65_536;

    public CallTrack {
        transfers = List.copyOf(transfers);
        if (transfers.size() > MAX_TRANSFERS) {
            throw new IllegalArgumentException(transfers.size() + " transfers; at most " + MAX_TRANSFERS);
        }
    }

    /**
     * One call or return.
     *
     * @param kind      a call or a return
     * @param from      the address of the call or return instruction
     * @param to        where it went: the called function, or the return address
     * @param registers for {@code !track reg}, the general-purpose registers as the called function starts; else empty
     */
    public record Transfer(Kind kind, long from, long to, Map<String, Long> registers) {
        public Transfer {
            Objects.requireNonNull(kind, "kind");
            registers = Map.copyOf(registers);
        }
    }

    public enum Kind { CALL, RETURN }
}
