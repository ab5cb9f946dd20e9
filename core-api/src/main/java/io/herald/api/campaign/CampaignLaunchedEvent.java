package io.herald.api.campaign;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A campaign was launched.
 *
 * @param definition what the launch sends (name, channel, content, segment, rate), as the campaign was at the
 *                   launch: delivery works from this, never from a read model. Null in launches stored before the
 *                   event carried it (an added field: those still read, with null here).
 */
@Revision("1")
public record CampaignLaunchedEvent(String campaignId, Instant launchedAt, LaunchTrigger trigger,
                                   CampaignDefinition definition)
        implements CampaignEvent {
}
