package io.herald.command.campaign;

import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignCreatedEvent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.Channel;
import io.herald.api.campaign.CreateCampaignCommand;
import io.herald.api.campaign.LaunchCampaignCommand;
import io.herald.api.common.DomainException;
import io.herald.command.segment.SegmentDirectory;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;

/** A campaign's audience must be a segment that exists: 422 on create, edit, schedule and launch. */
class CampaignSegmentTest {

    private static final String ID = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c11";
    private static final String SEGMENT = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c99";
    private static final CampaignDefinition WITH_SEGMENT = new CampaignDefinition(
            "Winter sale", Channel.EMAIL, CampaignContent.email("Hi", "Sale!", null), SEGMENT, null);
    private static final SegmentDirectory NONE = (segmentId, field) -> {
        throw new DomainException(DomainException.Kind.UNPROCESSABLE, SegmentDirectory.UNKNOWN_SEGMENT,
                                  "No segment with id " + segmentId, field, Map.of("segmentId", segmentId));
    };

    private AggregateTestFixture<Campaign> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Campaign.class);
        fixture.registerInjectableResource(Clock.fixed(fixture.currentTime(), ZoneOffset.UTC));
        fixture.registerInjectableResource(NONE);
    }

    private static CustomTypeSafeMatcher<DomainException> unknownSegment() {
        return new CustomTypeSafeMatcher<>("422 campaign.segment.unknown on segmentId") {
            @Override
            protected boolean matchesSafely(DomainException e) {
                return e.kind() == DomainException.Kind.UNPROCESSABLE && SegmentDirectory.UNKNOWN_SEGMENT.equals(e.code())
                        && "segmentId".equals(e.field());
            }
        };
    }

    @Test
    void createCampaign_withAnUnknownSegment_isUnprocessable() {
        fixture.givenNoPriorActivity()
               .when(new CreateCampaignCommand(ID, WITH_SEGMENT))
               .expectNoEvents()
               .expectException(unknownSegment());
    }

    @Test
    void launchCampaign_whoseSegmentWasDeleted_isUnprocessable() {
        fixture.given(new CampaignCreatedEvent(ID, WITH_SEGMENT))
               .when(new LaunchCampaignCommand(ID))
               .expectNoEvents()
               .expectException(unknownSegment());
    }

    @Test
    void createCampaign_withoutSegment_needsNone() {
        CampaignDefinition noSegment = new CampaignDefinition("x", Channel.SMS, CampaignContent.sms("hi"), null, null);
        fixture.givenNoPriorActivity()
               .when(new CreateCampaignCommand(ID, noSegment))
               .expectEvents(new CampaignCreatedEvent(ID, noSegment));
    }
}
