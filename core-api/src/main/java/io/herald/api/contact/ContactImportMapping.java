package io.herald.api.contact;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Which CSV column holds what. Column names are header names as they appear in the file; every
 * one named must exist. At least {@code email} or {@code externalId} is required.
 */
public record ContactImportMapping(@Size(max = 200) String email,
                                   @Size(max = 200) String externalId,
                                   @Size(max = 200) String phone,
                                   @Size(max = 200) String timeZone,
                                   @Size(max = 200) String locale,
                                   @Valid @Size(max = 200) List<AttributeColumn> attributes) {

    public ContactImportMapping {
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
    }

    /**
     * A column imported as an attribute.
     *
     * @param column the CSV header name
     * @param name   the attribute key (defaults to the column name)
     * @param type   how the cell is read (defaults to STRING)
     */
    public record AttributeColumn(@NotBlank @Size(max = 200) String column,
                                  @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9_.$-]{1,100}$",
                                          message = "letters, digits and _ . $ - only") String name,
                                  AttributeType type) {

        public String key() {
            return name == null || name.isBlank() ? column : name;
        }

        public AttributeType typeOrDefault() {
            return type == null ? AttributeType.STRING : type;
        }
    }

    /** The columns the mapping names, for the up-front check against the header. */
    public List<String> mappedColumns() {
        java.util.List<String> columns = new java.util.ArrayList<>();
        for (String c : new String[]{email, externalId, phone, timeZone, locale}) {
            if (c != null) {
                columns.add(c);
            }
        }
        attributes.forEach(a -> columns.add(a.column()));
        return columns;
    }
}
