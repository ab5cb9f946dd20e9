package io.herald.eventstore.work;

import java.util.regex.Pattern;

/**
 * A table whose rows are units of work that a worker of the {@link WorkerRegistry} claims: the table, its key
 * column and the column naming the worker that holds a row (null: nobody). Names are SQL identifiers written
 * by the module that owns the table, never input.
 *
 * @param table        the table, e.g. {@code contact_import_job}
 * @param keyColumn    its primary key column
 * @param workerColumn the column holding the worker id ({@code VARCHAR(64)}, nullable)
 */
public record WorkTable(String table, String keyColumn, String workerColumn) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public WorkTable {
        for (String name : new String[] {table, keyColumn, workerColumn}) {
            if (name == null || !IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("Not a plain SQL identifier: " + name);
            }
        }
    }
}
