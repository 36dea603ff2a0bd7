package dev.hdbg.common.wire;

import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Section;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.proto.v1.ModuleInfo;
import dev.hdbg.proto.v1.SectionInfo;
import dev.hdbg.proto.v1.SymbolInfo;

/** Translates what the target is made of, its symbols and modules, between the common model and protobuf. */
public final class TargetCodec {
    private TargetCodec() {
    }

    public static SymbolInfo encode(Symbol symbol) {
        return SymbolInfo.newBuilder().setName(symbol.name()).setAddress(symbol.address()).setSize(symbol.size())
                .setKind(symbol.kind()).build();
    }

    public static Symbol decode(SymbolInfo msg) {
        return new Symbol(msg.getName(), msg.getAddress(), msg.getSize(), msg.getKind());
    }

    public static ModuleInfo encode(LoadedModule module) {
        var b = ModuleInfo.newBuilder().setName(module.name()).setBase(module.base()).setEnd(module.end());
        module.sections().forEach(section -> b.addSections(encode(section)));
        return b.build();
    }

    public static LoadedModule decode(ModuleInfo msg) {
        return new LoadedModule(msg.getName(), msg.getBase(), msg.getEnd(),
                msg.getSectionsList().stream().map(TargetCodec::decode).toList());
    }

    public static SectionInfo encode(Section section) {
        return SectionInfo.newBuilder().setName(section.name()).setAddress(section.address()).setSize(section.size())
                .setFlags(section.flags()).build();
    }

    public static Section decode(SectionInfo msg) {
        return new Section(msg.getName(), msg.getAddress(), msg.getSize(), msg.getFlags());
    }
}
