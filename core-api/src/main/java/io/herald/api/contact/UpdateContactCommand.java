package io.herald.api.contact;

import jakarta.validation.constraints.NotBlank;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/**
 * Changes an existing contact: each non-null {@link FieldPatch} sets or removes that field,
 * {@code attributes} are merged ({@code null} values remove keys). Answered with the version.
 */
public record UpdateContactCommand(@TargetAggregateIdentifier @NotBlank String contactId,
                                   FieldPatch externalId,
                                   FieldPatch email,
                                   FieldPatch phone,
                                   FieldPatch timeZone,
                                   FieldPatch locale,
                                   Map<String, Object> attributes) {
}
