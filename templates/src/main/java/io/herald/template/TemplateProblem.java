package io.herald.template;

/**
 * Why a template cannot be used, and where: {@code line} and {@code column} are 1-based positions
 * in the template text (0 when unknown).
 */
public record TemplateProblem(int line, int column, String message) {
}
