package io.herald.command.flow;

import io.herald.api.common.DomainException;
import io.herald.api.common.MetadataKeys;
import io.herald.api.flow.ActivateFlowCommand;
import io.herald.api.flow.ArchiveFlowCommand;
import io.herald.api.flow.CreateFlowCommand;
import io.herald.api.flow.FlowActivatedEvent;
import io.herald.api.flow.FlowAlreadyExistsException;
import io.herald.api.flow.FlowArchivedEvent;
import io.herald.api.flow.FlowCreatedEvent;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowDefinitionException;
import io.herald.api.flow.FlowDraftUpdatedEvent;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowNotPublishedException;
import io.herald.api.flow.FlowPausedEvent;
import io.herald.api.flow.FlowPublishedEvent;
import io.herald.api.flow.FlowResumedEvent;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowStoppedEvent;
import io.herald.api.flow.FlowTrigger;
import io.herald.api.flow.IllegalFlowTransitionException;
import io.herald.api.flow.PauseFlowCommand;
import io.herald.api.flow.PublishFlowCommand;
import io.herald.api.flow.ResumeFlowCommand;
import io.herald.api.flow.StopFlowCommand;
import io.herald.api.flow.UpdateFlowDraftCommand;
import io.herald.api.segment.SegmentRule;
import io.herald.command.segment.SegmentDirectory;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.herald.command.flow.FlowFixtures.cart;
import static io.herald.command.flow.FlowFixtures.replacing;

class FlowTest {

    private static final String ID = "0c5e1b9e-2f7a-4d0e-8a55-0d3f5f0f4c11";
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final Set<String> segments = new HashSet<>();
    private AggregateTestFixture<Flow> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Flow.class);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerInjectableResource((SegmentDirectory) (segmentId, field) -> {
            if (!segments.contains(segmentId)) {
                throw new DomainException(DomainException.Kind.UNPROCESSABLE, SegmentDirectory.UNKNOWN_SEGMENT,
                                          "No segment with id " + segmentId, field, Map.of("segmentId", segmentId));
            }
        });
    }

    private static FlowDefinition edited() {
        return replacing(new FlowNode.Wait("wait-1h", "PT2H", null, null, null, null, "order"));
    }

    private FlowPublishedEvent published(int version, FlowDefinition definition) {
        return new FlowPublishedEvent(ID, version, "Cart", definition, NOW);
    }

    private static CustomTypeSafeMatcher<Exception> code(String code) {
        return new CustomTypeSafeMatcher<>("a domain exception with code " + code) {
            @Override
            protected boolean matchesSafely(Exception e) {
                return e instanceof DomainException de && de.code().equals(code);
            }
        };
    }

    @Test
    void create_withAValidDraft_isCreatedAsDraft() {
        fixture.givenNoPriorActivity()
                .when(new CreateFlowCommand(ID, "Cart", cart()))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new FlowCreatedEvent(ID, "Cart", cart()))
                .expectResultMessagePayload(0L)
                .expectState(flow -> org.assertj.core.api.Assertions.assertThat(flow).extracting("status")
                        .isEqualTo(FlowStatus.DRAFT));
    }

    @Test
    void create_withAnInvalidGraph_isRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateFlowCommand(ID, "Cart", replacing(new FlowNode.Exit("orphan"))))
                .expectException(FlowDefinitionException.class)
                .expectException(code(FlowDefinitionException.UNREACHABLE))
                .expectNoEvents();
    }

    @Test
    void create_retriedWithTheSameDraft_changesNothing() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()))
                .when(new CreateFlowCommand(ID, "Cart", cart()))
                .expectNoEvents()
                .expectResultMessagePayload(0L);
    }

    @Test
    void create_withAnIdInUse_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()))
                .when(new CreateFlowCommand(ID, "Other", cart()))
                .expectException(FlowAlreadyExistsException.class);
    }

    @Test
    void create_withAnUnknownSegment_isRefusedNamingTheNode() {
        var definition = replacing(new FlowNode.Branch("vip", SegmentRule.memberOf(FlowFixtures.SEGMENT), "done", "done"));
        fixture.givenNoPriorActivity()
                .when(new CreateFlowCommand(ID, "Cart", definition))
                .expectException(new CustomTypeSafeMatcher<Exception>("flow.segment.unknown at vip.rule") {
                    @Override
                    protected boolean matchesSafely(Exception e) {
                        return e instanceof FlowDefinitionException fe
                                && fe.code().equals(FlowDefinitionException.SEGMENT_UNKNOWN)
                                && "vip".equals(fe.nodeId()) && "rule".equals(fe.nodeField());
                    }
                });
    }

    @Test
    void create_withAKnownSegment_isCreated() {
        segments.add(FlowFixtures.SEGMENT);
        var definition = new FlowDefinition(new FlowTrigger.SegmentEntry(FlowFixtures.SEGMENT), null, null,
                                            List.of(new FlowNode.Entry("start", "done"), new FlowNode.Exit("done")));
        fixture.givenNoPriorActivity()
                .when(new CreateFlowCommand(ID, "Welcome", definition))
                .expectEvents(new FlowCreatedEvent(ID, "Welcome", definition));
    }

    @Test
    void updateDraft_replacesIt() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()))
                .when(new UpdateFlowDraftCommand(ID, "Cart 2", edited()))
                .expectEvents(new FlowDraftUpdatedEvent(ID, "Cart 2", edited()))
                .expectResultMessagePayload(1L);
    }

    @Test
    void updateDraft_unchanged_changesNothing() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()))
                .when(new UpdateFlowDraftCommand(ID, "Cart", cart()))
                .expectNoEvents();
    }

    @Test
    void updateDraft_withAStaleExpectedVersion_isRefused() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), new FlowDraftUpdatedEvent(ID, "Cart", edited()))
                .when(GenericCommandMessage.asCommandMessage(new UpdateFlowDraftCommand(ID, "Cart", cart()))
                              .andMetaData(Map.of(MetadataKeys.EXPECTED_VERSION, 0L)))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }

    @Test
    void updateDraft_ofAnActiveFlow_isAllowed() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()),
                      new FlowActivatedEvent(ID, 1, NOW))
                .when(new UpdateFlowDraftCommand(ID, "Cart", edited()))
                .expectEvents(new FlowDraftUpdatedEvent(ID, "Cart", edited()));
    }

    @Test
    void updateDraft_afterStop_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()),
                      new FlowActivatedEvent(ID, 1, NOW), new FlowStoppedEvent(ID, FlowStatus.ACTIVE, NOW))
                .when(new UpdateFlowDraftCommand(ID, "Cart", edited()))
                .expectException(IllegalFlowTransitionException.class)
                .expectNoEvents();
    }

    @Test
    void updateDraft_ofAnUnknownFlow_isNotFound() {
        fixture.givenNoPriorActivity()
                .when(new UpdateFlowDraftCommand(ID, "Cart", cart()))
                .expectException(AggregateNotFoundException.class);
    }

    @Test
    void publish_storesTheDraftAsVersionOne() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()))
                .when(new PublishFlowCommand(ID))
                .expectEvents(published(1, cart()));
    }

    @Test
    void publish_afterAnEdit_isTheNextVersion() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()),
                      new FlowDraftUpdatedEvent(ID, "Cart", edited()))
                .when(new PublishFlowCommand(ID))
                .expectEvents(published(2, edited()));
    }

    @Test
    void publish_unchangedSinceTheLatestVersion_changesNothing() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()))
                .when(new PublishFlowCommand(ID))
                .expectNoEvents()
                .expectResultMessagePayload(1L);
    }

    @Test
    void publish_whenASegmentWasDeletedSince_isRefused() {
        var definition = replacing(new FlowNode.Branch("vip", SegmentRule.memberOf(FlowFixtures.SEGMENT), "done", "done"));
        fixture.given(new FlowCreatedEvent(ID, "Cart", definition))
                .when(new PublishFlowCommand(ID))
                .expectException(code(FlowDefinitionException.SEGMENT_UNKNOWN));
    }

    @Test
    void publish_ofAnArchivedFlow_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), new FlowArchivedEvent(ID, FlowStatus.DRAFT, NOW))
                .when(new PublishFlowCommand(ID))
                .expectException(IllegalFlowTransitionException.class);
    }

    @Test
    void activate_withoutAPublishedVersion_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()))
                .when(new ActivateFlowCommand(ID))
                .expectException(FlowNotPublishedException.class)
                .expectNoEvents();
    }

    @Test
    void activate_aPublishedDraft_activatesTheLatestVersion() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()),
                      new FlowDraftUpdatedEvent(ID, "Cart", edited()), published(2, edited()))
                .when(new ActivateFlowCommand(ID))
                .expectEvents(new FlowActivatedEvent(ID, 2, NOW));
    }

    @Test
    void activate_whenActive_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), new FlowActivatedEvent(ID, 1, NOW))
                .when(new ActivateFlowCommand(ID))
                .expectException(IllegalFlowTransitionException.class);
    }

    @Test
    void pause_thenResume() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), new FlowActivatedEvent(ID, 1, NOW))
                .when(new PauseFlowCommand(ID))
                .expectEvents(new FlowPausedEvent(ID, NOW));
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), new FlowActivatedEvent(ID, 1, NOW),
                      new FlowPausedEvent(ID, NOW))
                .when(new ResumeFlowCommand(ID))
                .expectEvents(new FlowResumedEvent(ID, NOW));
    }

    @Test
    void recordRunsMoved_fromAnEarlierToALaterPublishedVersion_only_andNotOnceStopped() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), published(2, cart()),
                      new FlowActivatedEvent(ID, 2, NOW))
                .when(new io.herald.api.flow.RecordFlowRunsMovedCommand(ID, 1, 2, 10, 2))
                .expectEvents(new io.herald.api.flow.FlowRunsMovedEvent(ID, 1, 2, 10, 2, NOW));
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), published(2, cart()))
                .when(new io.herald.api.flow.RecordFlowRunsMovedCommand(ID, 2, 2, 0, 0))
                .expectException(io.herald.api.common.DomainException.class);
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()))
                .when(new io.herald.api.flow.RecordFlowRunsMovedCommand(ID, 1, 2, 0, 0))
                .expectException(io.herald.api.common.DomainException.class);
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), published(2, cart()),
                      new FlowActivatedEvent(ID, 2, NOW), new FlowStoppedEvent(ID, FlowStatus.ACTIVE, NOW))
                .when(new io.herald.api.flow.RecordFlowRunsMovedCommand(ID, 1, 2, 0, 0))
                .expectException(IllegalFlowTransitionException.class);
    }

    @Test
    void pause_aDraft_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()))
                .when(new PauseFlowCommand(ID))
                .expectException(IllegalFlowTransitionException.class);
    }

    @Test
    void resume_anActiveFlow_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), new FlowActivatedEvent(ID, 1, NOW))
                .when(new ResumeFlowCommand(ID))
                .expectException(IllegalFlowTransitionException.class);
    }

    @Test
    void archive_aPausedFlow() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), new FlowActivatedEvent(ID, 1, NOW),
                      new FlowPausedEvent(ID, NOW))
                .when(new ArchiveFlowCommand(ID))
                .expectEvents(new FlowArchivedEvent(ID, FlowStatus.PAUSED, NOW));
    }

    @Test
    void archive_anActiveFlow_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), new FlowActivatedEvent(ID, 1, NOW))
                .when(new ArchiveFlowCommand(ID))
                .expectException(IllegalFlowTransitionException.class);
    }

    @Test
    void stop_anActiveFlow_isFinal() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), new FlowActivatedEvent(ID, 1, NOW))
                .when(new StopFlowCommand(ID))
                .expectEvents(new FlowStoppedEvent(ID, FlowStatus.ACTIVE, NOW));
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()), published(1, cart()), new FlowActivatedEvent(ID, 1, NOW),
                      new FlowStoppedEvent(ID, FlowStatus.ACTIVE, NOW))
                .when(new ResumeFlowCommand(ID))
                .expectException(IllegalFlowTransitionException.class);
    }

    @Test
    void stop_aDraft_isAConflict() {
        fixture.given(new FlowCreatedEvent(ID, "Cart", cart()))
                .when(new StopFlowCommand(ID))
                .expectException(code(IllegalFlowTransitionException.CODE));
    }
}
