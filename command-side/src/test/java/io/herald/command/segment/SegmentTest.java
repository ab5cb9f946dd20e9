package io.herald.command.segment;

import io.herald.api.common.DomainException;
import io.herald.api.segment.CreateSegmentCommand;
import io.herald.api.segment.DeleteSegmentCommand;
import io.herald.api.segment.InvalidSegmentRuleException;
import io.herald.api.segment.SegmentAlreadyExistsException;
import io.herald.api.segment.SegmentCreatedEvent;
import io.herald.api.segment.SegmentDefinition;
import io.herald.api.segment.SegmentDeletedEvent;
import io.herald.api.segment.SegmentInUseException;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentUpdatedEvent;
import io.herald.api.segment.UpdateSegmentCommand;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SegmentTest {

    private static final String ID = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c22";
    private static final String OTHER = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c33";
    private static final SegmentDefinition PROS = new SegmentDefinition(
            "Pros", null, SegmentRule.and(SegmentRule.attribute("plan", "eq", "pro"),
                                          SegmentRule.behaviour("Purchase", "at_least", 2, 30, null)));

    private AggregateTestFixture<Segment> fixture;
    private SegmentRegistry registry;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Segment.class);
        registry = mock(SegmentRegistry.class);
        fixture.registerInjectableResource(registry);
    }

    @Test
    void createSegment_withValidRules_recordsItAndRegistersIt() {
        fixture.givenNoPriorActivity()
               .when(new CreateSegmentCommand(ID, PROS))
               .expectEvents(new SegmentCreatedEvent(ID, PROS))
               .expectResultMessagePayload(0L);
        verify(registry).register(ID);
        verify(registry).replaceReferences(ID, Set.of());
    }

    @Test
    void createSegment_ofContactsWithoutAnEmailAddress_isRecorded() {
        SegmentDefinition noEmail = new SegmentDefinition("No e-mail", null, SegmentRule.field("email", "exists", false));
        fixture.givenNoPriorActivity()
               .when(new CreateSegmentCommand(ID, noEmail))
               .expectEvents(new SegmentCreatedEvent(ID, noEmail));
    }

    @Test
    void createSegment_retriedWithTheSameDefinition_isAnsweredWithoutNewEvent() {
        fixture.given(new SegmentCreatedEvent(ID, PROS))
               .when(new CreateSegmentCommand(ID, PROS))
               .expectNoEvents()
               .expectResultMessagePayload(0L);
    }

    @Test
    void createSegment_withAnotherDefinitionOnAnExistingId_isAConflict() {
        fixture.given(new SegmentCreatedEvent(ID, PROS))
               .when(new CreateSegmentCommand(ID, new SegmentDefinition("x", null, SegmentRule.attribute("a", "exists", null))))
               .expectNoEvents()
               .expectException(SegmentAlreadyExistsException.class);
    }

    @Test
    void createSegment_withABadNode_isRejectedNamingItsPath() {
        SegmentRule bad = SegmentRule.and(SegmentRule.attribute("a", "eq", 1), SegmentRule.attribute("b", "eq", 2),
                                          SegmentRule.attribute("c", "gt", "not a number"));
        fixture.givenNoPriorActivity()
               .when(new CreateSegmentCommand(ID, new SegmentDefinition("bad", null, bad)))
               .expectNoEvents()
               .expectException(new CustomTypeSafeMatcher<InvalidSegmentRuleException>("path rules.children[2].value") {
                   @Override
                   protected boolean matchesSafely(InvalidSegmentRuleException e) {
                       return "rules.children[2].value".equals(e.field());
                   }
               });
    }

    @Test
    void updateSegment_thatWouldCloseACycle_isRefused() {
        SegmentDefinition refersToOther = new SegmentDefinition("x", null, SegmentRule.memberOf(OTHER));
        doThrow(new DomainException(DomainException.Kind.UNPROCESSABLE, "segment.reference.cycle", "cycle", "rules", Map.of()))
                .when(registry).checkReferences(eq(ID), eq(Set.of(OTHER)));
        fixture.given(new SegmentCreatedEvent(ID, PROS))
               .when(new UpdateSegmentCommand(ID, refersToOther))
               .expectNoEvents()
               .expectException(DomainException.class);
    }

    @Test
    void updateSegment_recordsTheNewDefinitionAndItsReferences() {
        SegmentDefinition refersToOther = new SegmentDefinition("x", null, SegmentRule.memberOf(OTHER));
        fixture.given(new SegmentCreatedEvent(ID, PROS))
               .when(new UpdateSegmentCommand(ID, refersToOther))
               .expectEvents(new SegmentUpdatedEvent(ID, refersToOther));
        verify(registry).replaceReferences(ID, Set.of(OTHER));
    }

    @Test
    void deleteSegment_usedByAScheduledCampaign_isRefused() {
        when(registry.lockAndFindUsers(ID)).thenReturn(new SegmentRegistry.Usage(List.of("campaign-1"), List.of()));
        fixture.given(new SegmentCreatedEvent(ID, PROS))
               .when(new DeleteSegmentCommand(ID))
               .expectNoEvents()
               .expectException(SegmentInUseException.class);
    }

    @Test
    void deleteSegment_unused_isRecorded_andThenGone() {
        when(registry.lockAndFindUsers(any())).thenReturn(new SegmentRegistry.Usage(List.of(), List.of()));
        fixture.given(new SegmentCreatedEvent(ID, PROS))
               .when(new DeleteSegmentCommand(ID))
               .expectEvents(new SegmentDeletedEvent(ID));
        fixture.given(new SegmentCreatedEvent(ID, PROS), new SegmentDeletedEvent(ID))
               .when(new UpdateSegmentCommand(ID, PROS))
               .expectException(AggregateNotFoundException.class);
    }
}
