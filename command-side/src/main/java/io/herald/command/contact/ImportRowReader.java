package io.herald.command.contact;

import io.herald.api.contact.AttributeType;
import io.herald.api.contact.AttributeValues;
import io.herald.api.contact.ContactImportMapping;
import io.herald.api.contact.ImportRow;
import io.herald.api.contact.RejectedRow;
import org.apache.commons.csv.CSVRecord;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a CSV record into an {@link ImportRow} following the mapping, reading typed attribute
 * cells, or into a {@link RejectedRow} saying why it could not. An empty cell means "no value"
 * (it neither sets nor removes anything).
 */
final class ImportRowReader {

    private static final Pattern NUMBER = Pattern.compile("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?$");

    private record Attribute(int index, String key, AttributeType type, String column) {
    }

    private final int columns;
    private final int email;
    private final int externalId;
    private final int phone;
    private final int timeZone;
    private final int locale;
    private final List<Attribute> attributes = new ArrayList<>();

    ImportRowReader(List<String> header, ContactImportMapping mapping) {
        this.columns = header.size();
        this.email = index(header, mapping.email());
        this.externalId = index(header, mapping.externalId());
        this.phone = index(header, mapping.phone());
        this.timeZone = index(header, mapping.timeZone());
        this.locale = index(header, mapping.locale());
        for (ContactImportMapping.AttributeColumn a : mapping.attributes()) {
            attributes.add(new Attribute(index(header, a.column()), a.key(), a.typeOrDefault(), a.column()));
        }
    }

    private static int index(List<String> header, String column) {
        if (column == null) {
            return -1;
        }
        int index = header.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("No column " + column);
        }
        return index;
    }

    /** An {@link ImportRow} or a {@link RejectedRow}. */
    Object read(CSVRecord record, long rowNumber) {
        if (record.size() != columns) {
            return new RejectedRow(rowNumber, "import.row.column-count",
                                   "The row has " + record.size() + " cells, the header " + columns);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Attribute attribute : attributes) {
            String cell = record.get(attribute.index());
            if (cell == null || cell.isBlank()) {
                continue;
            }
            Object value = convert(cell.strip(), attribute.type());
            if (value == null) {
                return new RejectedRow(rowNumber, "import.row.invalid-" + attribute.type().name().toLowerCase(Locale.ROOT),
                                       "Column '" + attribute.column() + "' is not a valid "
                                               + attribute.type().name().toLowerCase(Locale.ROOT) + ": " + clip(cell));
            }
            values.put(attribute.key(), value);
        }
        return new ImportRow(rowNumber, cell(record, externalId), cell(record, email), cell(record, phone),
                             cell(record, timeZone), cell(record, locale), values);
    }

    private static String cell(CSVRecord record, int index) {
        if (index < 0) {
            return null;
        }
        String value = record.get(index);
        return value == null || value.isBlank() ? null : value;
    }

    static Object convert(String cell, AttributeType type) {
        return switch (type) {
            case STRING -> cell;
            case NUMBER -> {
                if (!NUMBER.matcher(cell).matches()) {
                    yield null;
                }
                BigDecimal number = new BigDecimal(cell);
                try {
                    yield number.stripTrailingZeros().scale() <= 0 ? (Object) number.longValueExact() : number;
                } catch (ArithmeticException tooLarge) {
                    yield number;
                }
            }
            case BOOLEAN -> switch (cell.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "y", "1" -> Boolean.TRUE;
                case "false", "no", "n", "0" -> Boolean.FALSE;
                default -> null;
            };
            case DATE -> AttributeValues.canonicalDate(cell);
            case LIST -> {
                List<String> items = new ArrayList<>();
                for (String item : cell.split("\\|")) {
                    if (!item.isBlank()) {
                        items.add(item.strip());
                    }
                }
                yield items;
            }
        };
    }

    private static String clip(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }
}
