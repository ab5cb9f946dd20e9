package io.herald.api.contact;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Ends an import: completed when {@code failureReason} is null, failed otherwise. Sent by the import worker
 * that holds the import ({@code workerId}): refused when another worker has taken it over.
 */
public record FinishContactImportCommand(@TargetAggregateIdentifier String importId, String failureReason,
                                         String workerId) {
}
