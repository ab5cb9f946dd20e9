package io.herald.api.contact;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * One batch of an import, applied in one transaction with the import's progress: either all its
 * rows' effects and the new position are stored, or none. Sent by the import worker.
 *
 * @param batch      batch number, from 0; must be the import's next one
 * @param rows       rows that parsed
 * @param rejected   rows already refused while reading (bad cells, wrong column count)
 * @param lastRow    row number of the batch's last row
 * @param workerId   the import worker that holds the import: refused when another has taken it over
 */
public record ImportContactBatchCommand(@TargetAggregateIdentifier String importId, long batch, List<ImportRow> rows,
                                        List<RejectedRow> rejected, long lastRow, String workerId) {
}
