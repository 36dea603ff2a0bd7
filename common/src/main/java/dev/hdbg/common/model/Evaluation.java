package dev.hdbg.common.model;

import java.util.List;

/**
 * What one {@code ?} or {@code print} did on the target (since protocol 1.7).
 *
 * @param value  the expression's value, read as unsigned; 0 for statements
 * @param output what the script's printf and print calls wrote, one entry per call, in order
 */
public record Evaluation(long value, List<String> output) {
    public Evaluation {
        output = List.copyOf(output);
    }
}
