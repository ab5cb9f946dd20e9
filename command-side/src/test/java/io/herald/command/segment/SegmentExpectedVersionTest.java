package io.herald.command.segment;

import io.herald.api.common.MetadataKeys;
import io.herald.api.segment.DeleteSegmentCommand;
import io.herald.api.segment.SegmentCreatedEvent;
import io.herald.api.segment.SegmentDefinition;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentUpdatedEvent;
import io.herald.api.segment.UpdateSegmentCommand;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/** A command carrying the version its sender saw (an HTTP If-Match) is refused, untouched, when the segment moved on. */
class SegmentExpectedVersionTest {

    private static final String ID = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c44";
    private static final SegmentDefinition FIRST = new SegmentDefinition(
            "First", null, SegmentRule.attribute("plan", "eq", "pro"));
    private static final SegmentDefinition SECOND = new SegmentDefinition(
            "Second", null, SegmentRule.attribute("plan", "eq", "pro"));

    private AggregateTestFixture<Segment> fixture;
    private SegmentRegistry registry;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Segment.class);
        registry = mock(SegmentRegistry.class);
        fixture.registerInjectableResource(registry);
    }

    @Test
    void aStaleExpectedVersion_isRefusedBeforeAnythingIsDecided() {
        fixture.given(new SegmentCreatedEvent(ID, FIRST), new SegmentUpdatedEvent(ID, SECOND))
               .when(new UpdateSegmentCommand(ID, FIRST), Map.of(MetadataKeys.EXPECTED_VERSION, 0L))
               .expectNoEvents()
               .expectException(ConflictingAggregateVersionException.class);
        verifyNoInteractions(registry);
    }

    @Test
    void aStaleExpectedVersion_refusesADeleteToo() {
        fixture.given(new SegmentCreatedEvent(ID, FIRST), new SegmentUpdatedEvent(ID, SECOND))
               .when(new DeleteSegmentCommand(ID), Map.of(MetadataKeys.EXPECTED_VERSION, 2L))
               .expectNoEvents()
               .expectException(ConflictingAggregateVersionException.class);
        verifyNoInteractions(registry);
    }

    @Test
    void theCurrentVersion_orNone_letsTheCommandThrough() {
        fixture.given(new SegmentCreatedEvent(ID, FIRST), new SegmentUpdatedEvent(ID, SECOND))
               .when(new UpdateSegmentCommand(ID, FIRST), Map.of(MetadataKeys.EXPECTED_VERSION, 1L))
               .expectEvents(new SegmentUpdatedEvent(ID, FIRST))
               .expectResultMessagePayload(2L);
        fixture.given(new SegmentCreatedEvent(ID, FIRST))
               .when(new UpdateSegmentCommand(ID, SECOND))
               .expectEvents(new SegmentUpdatedEvent(ID, SECOND));
    }
}
