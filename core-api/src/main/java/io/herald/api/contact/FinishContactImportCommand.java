package io.herald.api.contact;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ends an import: completed when {@code failureReason} is null, failed otherwise. */
public record FinishContactImportCommand(@TargetAggregateIdentifier String importId, String failureReason) {
}
