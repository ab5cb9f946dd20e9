package io.herald.api.contact;

import io.herald.api.campaign.Channel;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a contact's consent on one channel; answered with the version. */
public record ChangeContactConsentCommand(@TargetAggregateIdentifier @NotBlank String contactId,
                                          @NotNull Channel channel,
                                          @NotNull ConsentStatus status,
                                          @Size(max = 500) String reason,
                                          @NotBlank @Size(max = 100) String source) {
}
