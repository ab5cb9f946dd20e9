/**
 * The application's wiring: Axon's command gateway and metadata, OpenAPI, the start-up report, and
 * Flyway's migration layout.
 * <p>
 * Migrations: each module owns its tables' migrations, in {@code db/<module>-migration} with a version
 * range of its own (the folder's {@code flyway-range.properties}: eventstore 1000–1999, identity
 * 2000–2999, command side 3000–3999, query side 4000–4999, sagas 5000–5999).
 * {@code spring.flyway.locations} lists them all after {@code db/migration}, and
 * {@code spring.flyway.out-of-order} is on because Flyway keeps one history ordered by version: a
 * module's new migration may be numbered below one another module has applied. {@code db/migration}
 * holds the migrations applied before modules had folders, each at the path and with the bytes it was
 * applied with (some in their module's jar), and takes no new ones. {@link MigrationLayout} refuses to
 * start when a file or a location is misplaced.
 */
package io.herald.gateway.config;
