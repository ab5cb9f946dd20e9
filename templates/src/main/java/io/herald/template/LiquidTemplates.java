package io.herald.template;

import liqp.Template;
import liqp.TemplateParser;
import liqp.exceptions.LiquidException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Liquid, made safe for marketers' templates: values are copied into plain maps before rendering
 * (no method or class access on Java objects), {@code include}/{@code render} are refused (no file
 * access), unknown variables render empty, and rendering is bounded in time, iterations and output
 * size. In HTML mode every inserted string is HTML-escaped.
 */
public final class LiquidTemplates {

    /** How the output is used: HTML output escapes inserted values. */
    public enum Mode {
        TEXT,
        /** Values HTML-escaped. */
        HTML,
        /** Values escaped for use inside a JSON string (webhook payloads: {@code "name": "{{ first_name }}"}). */
        JSON
    }

    public static final long MAX_TEMPLATE_BYTES = 512 * 1024;
    public static final long MAX_RENDER_MILLIS = 1_000;
    public static final int MAX_ITERATIONS = 10_000;
    public static final int MAX_OUTPUT_CHARS = 1_000_000;

    private static final Pattern FILE_TAGS = Pattern.compile("\\{%-?\\s*(include|render|include_relative)\\b");

    private static final java.util.concurrent.ExecutorService RENDERING =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final TemplateParser parser = new TemplateParser.Builder()
            .withEvaluateMode(TemplateParser.EvaluateMode.EAGER)
            .withErrorMode(TemplateParser.ErrorMode.STRICT)
            .withStrictVariables(false)
            .withMaxTemplateSizeBytes(MAX_TEMPLATE_BYTES)
            .withMaxRenderTimeMillis(MAX_RENDER_MILLIS)
            .withMaxIterations(MAX_ITERATIONS)
            .withMaxSizeRenderedString(MAX_OUTPUT_CHARS)
            .withSnippetsFolderName("/nonexistent-herald-snippets")
            .build();

    /** The first problem of a template, or empty when it parses. */
    public Optional<TemplateProblem> check(String source) {
        try {
            parse(source);
            return Optional.empty();
        } catch (TemplateException e) {
            return Optional.of(e.problem());
        }
    }

    private Template parse(String source) {
        if (source == null) {
            return parser.parse("");
        }
        Matcher fileTag = FILE_TAGS.matcher(source);
        if (fileTag.find()) {
            int[] position = position(source, fileTag.start());
            throw new TemplateException(new TemplateProblem(position[0], position[1],
                    "The '" + fileTag.group(1) + "' tag is not available in Herald templates"), null);
        }
        try {
            Template template = parser.parse(source);
            if (!template.errors().isEmpty()) {
                throw problem(template.errors().get(0));
            }
            return template;
        } catch (LiquidException e) {
            throw new TemplateException(new TemplateProblem(e.line, e.charPositionInLine + 1, clean(e.getMessage())), e);
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw problem(e);
        }
    }

    /** Renders with the given variables; throws {@link TemplateException} on a bad template or exceeded limits. */
    public String render(String source, Map<String, Object> variables, Mode mode) {
        return render(parse(source), variables, mode);
    }

    /**
     * A template parsed once per thread, rendered for many recipients (thread-safe: liqp's
     * {@code Template} keeps render state in fields, so each thread renders its own copy).
     */
    public Prepared prepare(String source, Mode mode) {
        parse(source); // problems surface here, once
        ThreadLocal<Template> perThread = ThreadLocal.withInitial(() -> parse(source));
        return variables -> render(perThread.get(), variables, mode);
    }

    /** See {@link #prepare}. */
    @FunctionalInterface
    public interface Prepared {
        String render(Map<String, Object> variables);
    }

    private static String render(Template template, Map<String, Object> variables, Mode mode) {
        Map<String, Object> safe = copy(variables, mode);
        try {
            // the time limit runs the render on another thread: a shared virtual-thread executor, not
            // the new single-thread executor liqp would create (and start a thread for) per render
            return template.render(safe, RENDERING, false);
        } catch (LiquidException e) {
            throw new TemplateException(new TemplateProblem(e.line, e.charPositionInLine + 1, clean(e.getMessage())), e);
        } catch (RuntimeException e) {
            throw problem(e);
        }
    }

    private static TemplateException problem(Exception e) {
        if (e instanceof LiquidException liquid) {
            return new TemplateException(new TemplateProblem(liquid.line, liquid.charPositionInLine + 1,
                                                             clean(liquid.getMessage())), e);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("exceeded") || message.contains("timed out") || e instanceof java.util.concurrent.CancellationException) {
            message = "The template takes too long or produces too much output";
        }
        return new TemplateException(new TemplateProblem(0, 0, clean(message)), e);
    }

    private static String clean(String message) {
        if (message == null) {
            return "Invalid template";
        }
        String firstLine = message.lines().findFirst().orElse(message);
        return firstLine.replaceAll("liqp\\.[\\w.$]+", "").strip();
    }

    private static int[] position(String source, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, ?> source, Mode escape) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (source != null) {
            source.forEach((key, value) -> copy.put(key, copyValue(value, escape)));
        }
        return copy;
    }

    private static Object copyValue(Object value, Mode escape) {
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) map;
            return copy(typed, escape);
        }
        if (value instanceof Iterable<?> iterable) {
            List<Object> list = new ArrayList<>();
            iterable.forEach(v -> list.add(copyValue(v, escape)));
            return list;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean || value == null) {
            return value instanceof String s ? escape(s, escape) : value;
        }
        // anything else (dates, ids) becomes its text: no object graph reaches the template
        return escape(value.toString(), escape);
    }

    private static String escape(String value, Mode mode) {
        return switch (mode) {
            case TEXT -> value;
            case HTML -> escapeHtml(value);
            case JSON -> escapeJson(value);
        };
    }

    static String escapeJson(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    static String escapeHtml(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
