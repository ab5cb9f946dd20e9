package io.herald.api.contact;

/** How an import reads a CSV cell into an attribute value. */
public enum AttributeType {
    /** As is. */
    STRING,
    /** A decimal number ({@code 42}, {@code -1.5}); anything else rejects the row. */
    NUMBER,
    /** {@code true/false}, {@code yes/no}, {@code 1/0} (any case). */
    BOOLEAN,
    /** ISO-8601 date ({@code 2024-05-01}) or date-time with offset; stored in UTC. */
    DATE,
    /** Items separated by {@code |}, each trimmed; empty items dropped. */
    LIST
}
