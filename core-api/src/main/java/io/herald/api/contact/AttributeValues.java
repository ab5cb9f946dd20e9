package io.herald.api.contact;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The value format of contact attributes and event properties: free JSON of strings, numbers,
 * booleans and lists of those (no nested objects). Dates are strings: a date as
 * {@code yyyy-MM-dd}, a date-time in UTC as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. In that canonical form
 * text order is time order (a bare date sorts as the start of its day), which lets segments compare
 * dates without casting user data in SQL.
 */
public final class AttributeValues {

    public static final int MAX_KEYS = 200;
    public static final int MAX_KEY_LENGTH = 100;
    public static final int MAX_TEXT = 10_000;
    public static final int MAX_LIST = 1_000;
    private static final Pattern KEY = Pattern.compile("^[^\\p{Cntrl}]{1,100}$");
    private static final Pattern DATE_LIKE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}([T ].*)?$");
    private static final DateTimeFormatter CANONICAL =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AttributeValues() {
    }

    /** The canonical text of an ISO-8601 date or date-time, or null when it is neither. */
    public static String canonicalDate(String text) {
        if (text == null || !DATE_LIKE.matcher(text).matches()) {
            return null;
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).toString();
            }
            String t = text.replace(' ', 'T');
            try {
                return format(OffsetDateTime.parse(t).toInstant());
            } catch (DateTimeException withoutOffset) {
                return format(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
            }
        } catch (DateTimeException e) {
            return null;
        }
    }

    public static String format(Instant instant) {
        return CANONICAL.format(instant);
    }

    /**
     * Checks attribute values and brings them to their stored form (date-time strings to UTC,
     * numbers as given). {@code null} values are kept: they mean "remove this key".
     *
     * @param path the request path of the map, for error messages ({@code attributes})
     * @throws io.herald.api.common.DomainException {@code contact.attributes.invalid} naming the bad key
     */
    public static Map<String, Object> normalize(Map<String, ?> attributes, String path) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        if (attributes.size() > MAX_KEYS) {
            throw invalid(path, "at most " + MAX_KEYS + " attributes");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var entry : attributes.entrySet()) {
            String key = entry.getKey();
            if (key == null || !KEY.matcher(key).matches() || key.isBlank()) {
                throw invalid(path, "attribute keys are 1–" + MAX_KEY_LENGTH + " characters without control characters");
            }
            out.put(key, value(entry.getValue(), path + "." + key, true));
        }
        return out;
    }

    private static Object value(Object value, String path, boolean listAllowed) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            if (s.length() > MAX_TEXT) {
                throw invalid(path, "text values are at most " + MAX_TEXT + " characters");
            }
            String date = s.length() > 10 ? canonicalDate(s) : null;
            return date != null ? date : s;
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number n) {
            if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
                throw invalid(path, "numbers must be finite");
            }
            if (n instanceof BigDecimal || n instanceof Double || n instanceof Float || n instanceof Long
                    || n instanceof Integer || n instanceof Short || n instanceof Byte
                    || n instanceof java.math.BigInteger) {
                return n;
            }
            return new BigDecimal(n.toString());
        }
        if (value instanceof List<?> list && listAllowed) {
            if (list.size() > MAX_LIST) {
                throw invalid(path, "lists have at most " + MAX_LIST + " items");
            }
            List<Object> items = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Object item = value(list.get(i), path + "[" + i + "]", false);
                if (item == null) {
                    throw invalid(path + "[" + i + "]", "list items cannot be null");
                }
                items.add(item);
            }
            return items;
        }
        throw invalid(path, listAllowed ? "values are text, numbers, booleans or lists of those"
                                        : "list items are text, numbers or booleans");
    }

    private static io.herald.api.common.DomainException invalid(String path, String message) {
        return io.herald.api.common.DomainException.invalid(path, "contact.attributes.invalid", path + ": " + message);
    }
}
