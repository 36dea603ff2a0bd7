package dev.hdbg.common.script;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables of the script's main part or of one function, as HyperDbg keeps them: one flat table per function,
 * in which a name exists from the first assignment to it in the text on (HyperDbg's scanner classifies a name when it
 * reads it, so a name read before its first assignment is an "Unresolved Variable").
 */
final class Scope {
    private final Map<String, Integer> slots = new LinkedHashMap<>();
    /** The function this scope belongs to, or null for the script's main part. */
    private final FunctionDecl function;
    private final int limit;

    Scope(FunctionDecl function, int limit) {
        this.function = function;
        this.limit = limit;
        if (function != null) {
            for (String parameter : function.parameters()) {
                slots.putIfAbsent(parameter, slots.size());
            }
        }
    }

    FunctionDecl function() {
        return function;
    }

    boolean isMain() {
        return function == null;
    }

    /** The slot of a name assigned before, or -1. */
    int slot(String name) {
        return slots.getOrDefault(name, -1);
    }

    /** The slot of a name, given one if it has none; -1 when the scope is full. */
    int define(String name) {
        Integer slot = slots.get(name);
        if (slot != null) {
            return slot;
        }
        if (slots.size() >= limit) {
            return -1;
        }
        slots.put(name, slots.size());
        return slots.size() - 1;
    }

    int size() {
        return slots.size();
    }
}
