package dev.hdbg.agent.server;

import com.google.protobuf.ByteString;
import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.wire.ExecutionCodec;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ReadMemoryReply;
import dev.hdbg.proto.v1.ReadMemoryRequest;
import dev.hdbg.proto.v1.ReadRegistersReply;
import dev.hdbg.proto.v1.RegisterValue;
import dev.hdbg.proto.v1.SelectCoreReply;
import dev.hdbg.proto.v1.WriteMemoryReply;
import dev.hdbg.proto.v1.WriteMemoryRequest;
import dev.hdbg.proto.v1.WriteRegisterReply;
import dev.hdbg.proto.v1.WriteRegisterRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The target's state: the status, registers (xmm included), memory, and which core they are read from. */
final class StateRequests {
    /** Registers {@code r} shows: the general-purpose ones, rip and rflags. */
    private static final List<GuestRegister> DEFAULT_REGISTERS = defaultRegisters();

    private final Debugger debugger;

    StateRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.STATUS_REQUEST, this::status);
        table.route(Envelope.BodyCase.READ_REGISTERS_REQUEST, this::readRegisters);
        table.route(Envelope.BodyCase.WRITE_REGISTER_REQUEST, this::writeRegister);
        table.route(Envelope.BodyCase.READ_MEMORY_REQUEST, this::readMemory);
        table.route(Envelope.BodyCase.WRITE_MEMORY_REQUEST, this::writeMemory);
        table.route(Envelope.BodyCase.SELECT_CORE_REQUEST, this::selectCore);
    }

    /** Since 1.10: {@code ~ N}. */
    private CompletableFuture<Envelope.Builder> selectCore(Envelope envelope) {
        int core = envelope.getSelectCoreRequest().getCore();
        if (core < 0) { // a uint32 above Integer.MAX_VALUE
            throw new WireFormatException("core " + Integer.toUnsignedString(core) + " does not exist");
        }
        return debugger.selectCore(core).thenApply(c -> Envelope.newBuilder().setSelectCoreReply(
                SelectCoreReply.newBuilder().setCore(ExecutionCodec.encode(c))));
    }

    private static List<GuestRegister> defaultRegisters() {
        var list = new ArrayList<>(GuestRegister.GPRS);
        list.add(GuestRegister.RIP);
        list.add(GuestRegister.RFLAGS);
        return List.copyOf(list);
    }

    // Not held up by a guest waiting for room in a full record queue: a prompt asks for the status constantly.
    private CompletableFuture<Envelope.Builder> status(Envelope request) {
        return debugger.statusWithin(Debugger.STATUS_WAIT)
                .thenApply(s -> Envelope.newBuilder().setStatusReply(ExecutionCodec.encode(s)));
    }

    private CompletableFuture<Envelope.Builder> readRegisters(Envelope request) {
        List<String> names = request.getReadRegistersRequest().getNamesList();
        Optional<XmmName> xmm = names.size() == 1 ? XmmName.parse(names.getFirst()) : Optional.empty();
        if (xmm.isPresent()) {
            return debugger.readXmm(xmm.get().index()).thenApply(bytes -> {
                long low = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
                return Envelope.newBuilder().setReadRegistersReply(ReadRegistersReply.newBuilder().addRegisters(
                        RegisterValue.newBuilder().setName(xmm.get().wireName()).setValue(low)
                                .setWide(ByteString.copyFrom(bytes))));
            });
        }
        List<GuestRegister> registers = names.isEmpty() ? DEFAULT_REGISTERS : names.stream().map(GuestRegister::parse).toList();
        return debugger.readRegisters(registers).thenApply(values -> {
            ReadRegistersReply.Builder b = ReadRegistersReply.newBuilder();
            values.forEach((r, v) -> b.addRegisters(RegisterValue.newBuilder().setName(r.wireName()).setValue(v)));
            return Envelope.newBuilder().setReadRegistersReply(b);
        });
    }

    private CompletableFuture<Envelope.Builder> writeRegister(Envelope envelope) {
        WriteRegisterRequest request = envelope.getWriteRegisterRequest();
        Optional<XmmName> xmm = XmmName.parse(request.getName());
        CompletableFuture<Void> written;
        if (xmm.isPresent()) {
            if (request.getWide().size() != 16) {
                throw new WireFormatException(request.getName() + " takes 16 bytes, got " + request.getWide().size());
            }
            written = debugger.writeXmm(xmm.get().index(), request.getWide().toByteArray());
        } else {
            written = debugger.writeRegister(GuestRegister.parse(request.getName()), request.getValue());
        }
        return written.thenApply(v -> Envelope.newBuilder().setWriteRegisterReply(WriteRegisterReply.getDefaultInstance()));
    }

    private CompletableFuture<Envelope.Builder> readMemory(Envelope envelope) {
        ReadMemoryRequest request = envelope.getReadMemoryRequest();
        long address = request.getAddress();
        int length = request.getLength();
        if (length <= 0 || length > Protocol.MAX_MEMORY_READ) {
            throw new WireFormatException("read length must be 1.." + Protocol.MAX_MEMORY_READ + " bytes, got "
                    + Integer.toUnsignedString(length) + "; read larger ranges in pages");
        }
        return debugger.readMemory(address, length).thenApply(data -> Envelope.newBuilder().setReadMemoryReply(
                ReadMemoryReply.newBuilder().setAddress(address).setData(ByteString.copyFrom(data))));
    }

    private CompletableFuture<Envelope.Builder> writeMemory(Envelope envelope) {
        WriteMemoryRequest request = envelope.getWriteMemoryRequest();
        if (request.getData().isEmpty()) {
            throw new WireFormatException("nothing to write");
        }
        return debugger.writeMemory(request.getAddress(), request.getData().toByteArray())
                .thenApply(v -> Envelope.newBuilder().setWriteMemoryReply(WriteMemoryReply.getDefaultInstance()));
    }
}
