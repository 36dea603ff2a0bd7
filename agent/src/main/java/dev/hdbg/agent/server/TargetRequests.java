package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.wire.TargetCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ListModulesReply;
import dev.hdbg.proto.v1.ListSymbolsReply;
import java.util.concurrent.CompletableFuture;

/** What the target is made of: its symbols ({@code x}) and modules ({@code lm}). */
final class TargetRequests {
    private final Debugger debugger;

    TargetRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.LIST_SYMBOLS_REQUEST, this::symbols);
        table.route(Envelope.BodyCase.LIST_MODULES_REQUEST, this::modules);
    }

    private CompletableFuture<Envelope.Builder> symbols(Envelope request) {
        return debugger.listSymbols(request.getListSymbolsRequest().getPattern()).thenApply(list -> {
            var b = ListSymbolsReply.newBuilder();
            list.forEach(symbol -> b.addSymbols(TargetCodec.encode(symbol)));
            return Envelope.newBuilder().setListSymbolsReply(b);
        });
    }

    private CompletableFuture<Envelope.Builder> modules(Envelope request) {
        return debugger.listModules().thenApply(list -> {
            var b = ListModulesReply.newBuilder();
            list.forEach(module -> b.addModules(TargetCodec.encode(module)));
            return Envelope.newBuilder().setListModulesReply(b);
        });
    }
}
