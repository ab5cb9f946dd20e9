package io.herald.api.contact;

import java.time.Instant;
import java.util.List;

/**
 * An import's progress.
 *
 * @param rejectedRows the first rejected rows (all of them through the CSV download)
 */
public record ContactImportView(String id, ImportState state, String fileName, long fileSize, ImportMode mode,
                                long rowsRead, long created, long updated, long rejected, Instant startedAt,
                                Instant updatedAt, Instant finishedAt, String failureReason,
                                List<RejectedRow> rejectedRows) {
}
