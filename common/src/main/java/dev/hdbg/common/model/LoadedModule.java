package dev.hdbg.common.model;

import java.util.List;

/** A loaded image, a line of {@code lm}: [base, end) and its sections. */
public record LoadedModule(String name, long base, long end, List<Section> sections) {
    public LoadedModule {
        sections = List.copyOf(sections);
    }
}
