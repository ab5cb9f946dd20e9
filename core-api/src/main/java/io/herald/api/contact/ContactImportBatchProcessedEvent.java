package io.herald.api.contact;

import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * One batch stored: counts of this batch, the position reached, and the rows it rejected.
 *
 * @param lastRow the row number of the batch's last row (a resumed import goes on after it)
 */
@Revision("1")
public record ContactImportBatchProcessedEvent(String importId, long batch, long lastRow,
                                               long rowsRead, long created, long updated, long rejected,
                                               List<RejectedRow> rejections) implements ContactImportEvent {
}
