package dev.hdbg.agent.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.proto.v1.ActionSpec;
import dev.hdbg.proto.v1.ActionType;
import dev.hdbg.proto.v1.AddActionRequest;
import dev.hdbg.proto.v1.AddBreakpointRequest;
import dev.hdbg.proto.v1.AddEventRequest;
import dev.hdbg.proto.v1.ContinueRequest;
import dev.hdbg.proto.v1.CustomCode;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.EventOptions;
import dev.hdbg.proto.v1.EventSpec;
import dev.hdbg.proto.v1.EventType;
import dev.hdbg.proto.v1.ListBreakpointsRequest;
import dev.hdbg.proto.v1.ListEventsRequest;
import dev.hdbg.proto.v1.ListSymbolsRequest;
import dev.hdbg.proto.v1.LogConfiguration;
import dev.hdbg.proto.v1.LogMemory;
import dev.hdbg.proto.v1.ModifyBreakpointRequest;
import dev.hdbg.proto.v1.ModifyEventRequest;
import dev.hdbg.proto.v1.PauseRequest;
import dev.hdbg.proto.v1.ReadMemoryRequest;
import dev.hdbg.proto.v1.ReadRegistersRequest;
import dev.hdbg.proto.v1.RecordsAck;
import dev.hdbg.proto.v1.StatusRequest;
import dev.hdbg.proto.v1.StepRequest;
import dev.hdbg.proto.v1.WriteMemoryRequest;
import dev.hdbg.proto.v1.WriteRegisterRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Arbitrary requests: every body of the Envelope's oneof, with fields drawn from edge values —
 * 0, 1, all ones, 2^32, mapped and unmapped addresses, the agent's limits and one past them, a
 * 4 GiB length, unknown enum numbers, missing sub-messages. Half come from the message
 * descriptors, so a body added to the protocol is covered without touching this class; half are
 * shaped by hand so they get past the first check and reach the debugger.
 */
final class Requests {
    static final long IMAGE = RawImageLoader.DEFAULT_BASE;

    static final long[] ADDRESSES = {0, 1, -1, 1L << 32, (1L << 32) - 1, Long.MIN_VALUE, Long.MAX_VALUE,
            IMAGE, IMAGE + 0xa, IMAGE + 0x13, IMAGE + 0x40, IMAGE + 0xfff, IMAGE + 0x10ff8, IMAGE + 0x20000,
            RawImageLoader.STACK_TOP - 8, RawImageLoader.STACK_TOP, 0x7fff0000L, VmxRoot.BASE, VmxRoot.BASE - 1,
            VmxRoot.BASE + 0x100000};
    static final int[] LENGTHS = {0, 1, -1, 8, 16, 4096, Integer.MAX_VALUE, Integer.MIN_VALUE,
            Protocol.MAX_MEMORY_READ, Protocol.MAX_MEMORY_READ + 1, LogItem.Memory.MAX_LENGTH,
            LogItem.Memory.MAX_LENGTH + 1, Limits.DEFAULT.maxBufferBytes(), Limits.DEFAULT.maxBufferBytes() + 1};
    static final String[] REGISTERS = {"rax", "RIP", "@rcx", "rsp", "r15", "rflags", "cs", "ss", "fs_base", "cr0",
            "cr3", "cr4", "dr7", "xmm0", "XMM15", "@xmm7", "xmm16", "xmm", "", "@", "rax ", "eax", "$context",
            "a".repeat(5000), "räx"};
    static final String[] PSEUDO_REGISTERS = {"context", "ip", "event_id", "core", "pid", "tid", "time", "event_stage",
            "proc", "", "nope", "$ip"};
    static final String[] PATTERNS = {"", "*", "?", "main*", "*a*a*a*a*a*a*a*a*a*b", "[", "\\", "(", ".*", "x".repeat(4000)};

    private Requests() {
    }

    /** Payloads too large to make per case; made once, when first asked for. */
    private static final class Big {
        static final ByteString OVER_CODE_LIMIT = nops(Limits.DEFAULT.maxCodeBytes() + 1);
        static final ByteString NEAR_FRAME_CAP = nops(Framing.MAX_FRAME_BYTES - 4096);

        private static ByteString nops(int length) {
            byte[] bytes = new byte[length];
            Arrays.fill(bytes, (byte) 0x90);
            return ByteString.copyFrom(bytes);
        }
    }

    /** An arbitrary envelope body that fits in a frame, with request id 0 (callers number them). */
    static Envelope.Builder arbitrary(SplittableRandom r) {
        while (true) {
            Envelope.Builder body = r.nextInt(2) == 0 ? fromDescriptor(r) : shaped(r);
            // Room for the id: a body that cannot be framed is the decoder's business (HostileBytes).
            if (body.build().getSerializedSize() <= Framing.MAX_ENVELOPE_BYTES - 16) {
                return body;
            }
        }
    }

    // ---- from the descriptors -----------------------------------------------------------------

    /** One field of the Envelope's oneof (any body, replies too) filled at random; sometimes none, or an unknown field. */
    static Envelope.Builder fromDescriptor(SplittableRandom r) {
        Envelope.Builder envelope = Envelope.newBuilder();
        OneofDescriptor body = Envelope.getDescriptor().getOneofs().getFirst();
        int choice = r.nextInt(body.getFieldCount() + 2);
        if (choice == body.getFieldCount()) {
            return envelope; // no body at all
        }
        if (choice == body.getFieldCount() + 1) {
            // A field number this agent does not know, as a newer host might send.
            return envelope.setUnknownFields(UnknownFieldSet.newBuilder().addField(99,
                    UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("from the future")).build())
                    .build());
        }
        FieldDescriptor field = body.getField(choice);
        envelope.setField(field, fill(envelope.newBuilderForField(field), r, 0).build());
        return envelope;
    }

    private static Message.Builder fill(Message.Builder b, SplittableRandom r, int depth) {
        for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
            if (r.nextInt(3) == 0) {
                continue; // missing
            }
            if (f.isRepeated()) {
                int n = r.nextInt(10) == 0 ? 70 : r.nextInt(4);
                Object one = value(b, f, r, depth);
                for (int i = 0; i < n; i++) {
                    b.addRepeatedField(f, r.nextInt(4) == 0 ? one : value(b, f, r, depth));
                }
            } else if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || depth < 4) {
                b.setField(f, value(b, f, r, depth));
            }
        }
        return b;
    }

    private static Object value(Message.Builder b, FieldDescriptor f, SplittableRandom r, int depth) {
        return switch (f.getJavaType()) {
            case LONG -> address(r);
            case INT -> length(r);
            case BOOLEAN -> r.nextBoolean();
            case STRING -> pick(r, f.getName().contains("pattern") ? PATTERNS
                    : f.getName().contains("pseudo") ? PSEUDO_REGISTERS : REGISTERS);
            case BYTE_STRING -> r.nextInt(4) == 0 ? ByteString.EMPTY : random(r, 1 + r.nextInt(40));
            case ENUM -> enumValue(f.getEnumType(), r);
            case MESSAGE -> fill(b.newBuilderForField(f), r, depth + 1).build();
            case FLOAT, DOUBLE -> throw new IllegalStateException("the protocol has no floating point: " + f);
        };
    }

    private static Object enumValue(EnumDescriptor type, SplittableRandom r) {
        int number = switch (r.nextInt(6)) {
            case 0 -> 99;
            case 1 -> -1;
            default -> type.getValues().get(r.nextInt(type.getValues().size())).getNumber();
        };
        return type.findValueByNumberCreatingIfUnknown(number);
    }

    // ---- shaped by hand ------------------------------------------------------------------------

    /** A request of every kind, shaped so that most pass the first checks and reach the debugger. */
    static Envelope.Builder shaped(SplittableRandom r) {
        Envelope.Builder e = Envelope.newBuilder();
        return switch (r.nextInt(18)) {
            case 0, 1 -> e.setAddEventRequest(AddEventRequest.newBuilder().setEvent(event(r)));
            case 2 -> e.setAddActionRequest(AddActionRequest.newBuilder().setEventId(smallId(r)).setAction(action(r)));
            case 3 -> e.setModifyEventRequest(ModifyEventRequest.newBuilder().setEventId(smallId(r))
                    .setAll(r.nextInt(4) == 0).setModificationValue(r.nextInt(5) - 1));
            case 4 -> e.setListEventsRequest(ListEventsRequest.getDefaultInstance());
            case 5 -> e.setContinueRequest(ContinueRequest.newBuilder().setHasRunTo(r.nextBoolean()).setRunTo(address(r)));
            case 6 -> e.setPauseRequest(PauseRequest.getDefaultInstance());
            case 7 -> e.setStatusRequest(StatusRequest.getDefaultInstance());
            case 8 -> e.setStepRequest(StepRequest.newBuilder().setModeValue(r.nextInt(5) - 1));
            case 9 -> e.setAddBreakpointRequest(AddBreakpointRequest.newBuilder().setAddress(address(r))
                    .setCondition(r.nextInt(3) == 0 ? code(r) : ByteString.EMPTY));
            case 10 -> e.setModifyBreakpointRequest(ModifyBreakpointRequest.newBuilder().setBreakpointId(smallId(r))
                    .setAll(r.nextInt(4) == 0).setModificationValue(r.nextInt(5) - 1));
            case 11 -> e.setListBreakpointsRequest(ListBreakpointsRequest.getDefaultInstance());
            case 12 -> e.setListSymbolsRequest(ListSymbolsRequest.newBuilder().setPattern(pick(r, PATTERNS)));
            case 13 -> {
                ReadRegistersRequest.Builder b = ReadRegistersRequest.newBuilder();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.addNames(pick(r, REGISTERS));
                }
                yield e.setReadRegistersRequest(b);
            }
            case 14 -> e.setWriteRegisterRequest(WriteRegisterRequest.newBuilder().setName(pick(r, REGISTERS))
                    .setValue(address(r)).setWide(r.nextBoolean() ? random(r, 14 + r.nextInt(4)) : ByteString.EMPTY));
            case 15 -> e.setReadMemoryRequest(ReadMemoryRequest.newBuilder().setAddress(address(r)).setLength(length(r)));
            case 16 -> e.setWriteMemoryRequest(WriteMemoryRequest.newBuilder().setAddress(address(r)).setData(bytes(r)));
            default -> e.setRecordsAck(RecordsAck.newBuilder().setThroughSeq(address(r)));
        };
    }

    private static EventSpec.Builder event(SplittableRandom r) {
        return r.nextInt(3) == 0 ? anyEvent(r) : validEvent(r);
    }

    /** An event whose fields fit its type, so it is armed: the actions run when the guest continues. */
    private static EventSpec.Builder validEvent(SplittableRandom r) {
        EventType type = EventType.forNumber(1 + r.nextInt(18));
        EventSpec.Builder b = EventSpec.newBuilder().setType(type);
        switch (type) {
            case EVENT_TYPE_EPT_HOOK, EVENT_TYPE_EPT_HOOK2 -> b.setAddress(IMAGE + r.nextInt(0x20));
            case EVENT_TYPE_MONITOR -> {
                long from = r.nextBoolean() ? IMAGE + r.nextInt(0x100) : address(r);
                b.setAddress(from).setEnd(from + r.nextInt(0x100)).setAccess(1 + r.nextInt(7));
            }
            case EVENT_TYPE_INTERRUPT -> b.setHasFilter(true).setFilter(32 + r.nextInt(224));
            case EVENT_TYPE_CR_WRITE -> b.setHasFilter(true).setFilter(r.nextBoolean() ? 0 : 4)
                    .setHasMask(r.nextBoolean()).setMask(address(r));
            case EVENT_TYPE_EXCEPTION -> b.setHasFilter(r.nextBoolean()).setFilter(r.nextInt(32));
            case EVENT_TYPE_CPUID, EVENT_TYPE_SYSCALL, EVENT_TYPE_IO_IN, EVENT_TYPE_IO_OUT ->
                    b.setHasFilter(r.nextBoolean()).setFilter(r.nextInt(0x100));
            default -> {
            }
        }
        if (r.nextInt(4) == 0) {
            b.setCondition(code(r));
        }
        if (r.nextInt(4) == 0) {
            boolean pre = r.nextBoolean();
            b.setOptions(EventOptions.newBuilder().setStageValue(pre ? 1 : 2 + r.nextInt(2))
                    .setShortCircuit(pre && r.nextBoolean()));
        }
        int actions = r.nextInt(4);
        for (int i = 0; i < actions; i++) {
            b.addActions(action(r));
        }
        return b;
    }

    /** An event with any fields at all. */
    private static EventSpec.Builder anyEvent(SplittableRandom r) {
        EventSpec.Builder b = EventSpec.newBuilder().setTypeValue(r.nextInt(10) == 0 ? 99 : r.nextInt(19));
        if (r.nextBoolean()) {
            b.setAddress(address(r));
        }
        if (r.nextInt(3) == 0) {
            b.setHasFilter(true).setFilter(r.nextBoolean() ? r.nextInt(300) : address(r));
        }
        if (r.nextInt(4) == 0) {
            b.setEnd(address(r)).setAccess(r.nextInt(9));
        }
        if (r.nextInt(6) == 0) {
            b.setHasMask(r.nextBoolean()).setMask(address(r));
        }
        if (r.nextInt(4) == 0) {
            b.setCondition(code(r));
        }
        if (r.nextInt(4) == 0) {
            b.setOptions(EventOptions.newBuilder().setHasPid(r.nextBoolean()).setPid(address(r))
                    .setHasCore(r.nextBoolean()).setCore(length(r)).setStageValue(r.nextInt(5) - 1)
                    .setShortCircuit(r.nextBoolean()));
        }
        int actions = r.nextInt(12) == 0 ? Limits.DEFAULT.maxActionsPerEvent() + r.nextInt(2) : r.nextInt(3);
        ActionSpec one = action(r).build();
        for (int i = 0; i < actions; i++) {
            b.addActions(one); // the same action repeated: a long list stays cheap to make
        }
        return b.setDisabled(r.nextInt(4) == 0);
    }

    private static ActionSpec.Builder action(SplittableRandom r) {
        ActionSpec.Builder b = ActionSpec.newBuilder().setImmediate(r.nextBoolean());
        switch (r.nextInt(5)) {
            case 0 -> b.setType(ActionType.ACTION_TYPE_BREAK_TO_DEBUGGER);
            case 1, 2 -> {
                b.setType(ActionType.ACTION_TYPE_LOG_THE_STATES);
                if (r.nextInt(8) != 0) {
                    LogConfiguration.Builder log = LogConfiguration.newBuilder();
                    int n = r.nextInt(10) == 0 ? 200 : r.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        log.addItems(logItem(r));
                    }
                    b.setLog(log);
                }
            }
            case 3 -> {
                b.setType(ActionType.ACTION_TYPE_RUN_CUSTOM_CODE);
                if (r.nextInt(8) != 0) {
                    b.setCustomCode(CustomCode.newBuilder().setCode(code(r)).setRequestedBufferSize(length(r)));
                }
            }
            default -> b.setTypeValue(r.nextBoolean() ? 0 : 77);
        }
        return b;
    }

    private static dev.hdbg.proto.v1.LogItem.Builder logItem(SplittableRandom r) {
        var b = dev.hdbg.proto.v1.LogItem.newBuilder();
        return switch (r.nextInt(5)) {
            case 0 -> b.setAllGprs(r.nextBoolean());
            case 1 -> b.setRegister(r.nextBoolean() ? pick(r, REGISTERS)
                    : GuestRegister.values()[r.nextInt(GuestRegister.values().length)].wireName());
            case 2 -> b.setPseudoRegister(pick(r, PSEUDO_REGISTERS));
            case 3 -> b.setMemory(LogMemory.newBuilder().setBaseRegister(r.nextBoolean() ? "" : pick(r, REGISTERS))
                    .setOffset(address(r)).setLength(length(r)));
            default -> b; // an empty item
        };
    }

    /** Machine code: a few real instructions, random bytes, or one past the code limit (made once). */
    private static ByteString code(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> Big.OVER_CODE_LIMIT;
            case 1 -> ByteString.copyFrom(new byte[] {(byte) 0xeb, (byte) 0xfe}); // jmp $: runs out its budget
            case 2 -> ByteString.copyFrom(new byte[] {0x48, (byte) 0x31, (byte) 0xc0}); // xor rax, rax
            case 3 -> ByteString.copyFrom(new byte[] {(byte) 0xf4}); // hlt
            default -> random(r, 1 + r.nextInt(32));
        };
    }

    private static ByteString bytes(SplittableRandom r) {
        return switch (r.nextInt(40)) {
            case 0 -> Big.NEAR_FRAME_CAP;
            case 1, 2 -> Big.OVER_CODE_LIMIT;
            case 3, 4, 5 -> ByteString.EMPTY;
            default -> random(r, 1 + r.nextInt(40));
        };
    }

    private static ByteString random(SplittableRandom r, int length) {
        byte[] bytes = new byte[length];
        r.nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }

    static long address(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> r.nextLong();
            case 1 -> IMAGE + r.nextInt(0x1000);
            default -> ADDRESSES[r.nextInt(ADDRESSES.length)];
        };
    }

    static int length(SplittableRandom r) {
        return r.nextInt(6) == 0 ? r.nextInt() : LENGTHS[r.nextInt(LENGTHS.length)];
    }

    /** An event or breakpoint id: mostly small ones that may exist, sometimes edge values. */
    private static long smallId(SplittableRandom r) {
        return r.nextInt(4) == 0 ? ADDRESSES[r.nextInt(ADDRESSES.length)] : r.nextInt(6);
    }

    private static String pick(SplittableRandom r, String[] choices) {
        return choices[r.nextInt(choices.length)];
    }

    /** Why a request must be refused whatever the agent's state, if it must: code or sizes past a limit. */
    static Optional<String> mustBeRefused(Envelope request, Limits limits) {
        int maxCode = limits.maxCodeBytes();
        return switch (request.getBodyCase()) {
            case ADD_EVENT_REQUEST -> {
                EventSpec event = request.getAddEventRequest().getEvent();
                if (event.getCondition().size() > maxCode) {
                    yield Optional.of("a condition over the code limit");
                }
                yield event.getActionsList().stream().map(a -> tooLarge(a, limits)).flatMap(Optional::stream).findFirst();
            }
            case ADD_ACTION_REQUEST -> tooLarge(request.getAddActionRequest().getAction(), limits);
            case ADD_BREAKPOINT_REQUEST -> request.getAddBreakpointRequest().getCondition().size() > maxCode
                    ? Optional.of("a breakpoint condition over the code limit") : Optional.empty();
            case READ_MEMORY_REQUEST -> {
                int length = request.getReadMemoryRequest().getLength();
                yield length <= 0 || length > Protocol.MAX_MEMORY_READ
                        ? Optional.of("a read of " + Integer.toUnsignedString(length) + " bytes") : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    private static Optional<String> tooLarge(ActionSpec action, Limits limits) {
        if (action.getType() != ActionType.ACTION_TYPE_RUN_CUSTOM_CODE) {
            return Optional.empty();
        }
        if (action.getCustomCode().getCode().size() > limits.maxCodeBytes()) {
            return Optional.of("custom code over the code limit");
        }
        if (Integer.toUnsignedLong(action.getCustomCode().getRequestedBufferSize()) > limits.maxBufferBytes()) {
            return Optional.of("a requested buffer of " + Integer.toUnsignedString(action.getCustomCode()
                    .getRequestedBufferSize()) + " bytes");
        }
        return Optional.empty();
    }

    /** A short description of a request for failure reports: its body, with big byte fields as their size. */
    static String describe(Envelope request) {
        String text = request.toString().replace('\n', ' ');
        return text.length() > 400 ? text.substring(0, 400) + "... (" + request.getSerializedSize() + " bytes)" : text;
    }

    static List<String> describeAll(List<Envelope> requests) {
        return requests.stream().map(Requests::describe).toList();
    }
}
