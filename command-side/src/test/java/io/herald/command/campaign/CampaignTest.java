package io.herald.command.campaign;

import io.herald.api.campaign.RecordCampaignAudienceCommand;
import io.herald.api.campaign.CampaignAudienceFrozenEvent;
import io.herald.api.campaign.CampaignAlreadyExistsException;
import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignCreatedEvent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.campaign.CampaignScheduledEvent;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignUpdatedEvent;
import io.herald.api.campaign.CancelCampaignCommand;
import io.herald.api.campaign.Channel;
import io.herald.api.campaign.CompleteCampaignCommand;
import io.herald.api.campaign.CreateCampaignCommand;
import io.herald.api.campaign.CampaignDuplicatedEvent;
import io.herald.api.campaign.CampaignFailedEvent;
import io.herald.api.campaign.FailCampaignCommand;
import io.herald.api.campaign.DuplicateCampaignCommand;
import io.herald.api.campaign.IllegalCampaignTransitionException;
import io.herald.api.campaign.LaunchCampaignCommand;
import io.herald.api.campaign.LaunchTrigger;
import io.herald.api.campaign.PauseCampaignCommand;
import io.herald.api.campaign.ResumeCampaignCommand;
import io.herald.api.campaign.ScheduleCampaignCommand;
import io.herald.api.campaign.UpdateCampaignCommand;
import io.herald.api.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class CampaignTest {

    private static final String ID = "6f1c1a4e-8a55-4b8e-9d57-0d3f5f0f4c11";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final CampaignDefinition EMAIL = new CampaignDefinition(
            "Winter sale", Channel.EMAIL, CampaignContent.email("Hi {{ first_name }}", "Sale!", null), "segment-1", 50);
    private static final CampaignDefinition NO_SEGMENT = new CampaignDefinition(
            "Winter sale", Channel.EMAIL, CampaignContent.email("Hi {{ first_name }}", "Sale!", null), null, 50);

    /** Every segment id exists (the unknown-segment rule is tested in CampaignSegmentTest). */
    static final io.herald.command.segment.SegmentDirectory KNOWN_SEGMENTS = (segmentId, field) -> {
    };

    private AggregateTestFixture<Campaign> fixture;
    private Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Campaign.class);
        now = fixture.currentTime();
        fixture.registerInjectableResource(Clock.fixed(now, ZoneOffset.UTC));
        fixture.registerInjectableResource(KNOWN_SEGMENTS);
    }

    private CampaignCreatedEvent created() {
        return new CampaignCreatedEvent(ID, EMAIL);
    }

    @Test
    void createCampaign_withValidDefinition_createsDraftAndReturnsVersionZero() {
        fixture.givenNoPriorActivity()
               .when(new CreateCampaignCommand(ID, EMAIL))
               .expectSuccessfulHandlerExecution()
               .expectEvents(created())
               .expectResultMessagePayload(0L);
    }

    @Test
    void createCampaign_retriedWithSameDefinition_isAnsweredWithoutNewEvent() {
        fixture.given(created())
               .when(new CreateCampaignCommand(ID, EMAIL))
               .expectNoEvents()
               .expectResultMessagePayload(0L);
    }

    @Test
    void createCampaign_withExistingIdAndOtherDefinition_isRejected() {
        CampaignDefinition other = new CampaignDefinition("Other", Channel.SMS, CampaignContent.sms("hi"), null, null);
        fixture.given(created())
               .when(new CreateCampaignCommand(ID, other))
               .expectNoEvents()
               .expectException(CampaignAlreadyExistsException.class);
    }

    @Test
    void createCampaign_emailWithoutSubject_isRejectedNamingTheField() {
        CampaignDefinition noSubject = new CampaignDefinition(
                "x", Channel.EMAIL, CampaignContent.email(" ", "body", null), null, null);
        fixture.givenNoPriorActivity()
               .when(new CreateCampaignCommand(ID, noSubject))
               .expectNoEvents()
               .expectException(DomainException.class)
               .expectExceptionMessage("An email campaign needs a subject");
    }

    @Test
    void createCampaign_webhookWithNonHttpUrl_isRejected() {
        CampaignDefinition ftp = new CampaignDefinition(
                "x", Channel.WEBHOOK, CampaignContent.webhook("ftp://example.org/x", "{}"), null, null);
        fixture.givenNoPriorActivity()
               .when(new CreateCampaignCommand(ID, ftp))
               .expectNoEvents()
               .expectException(DomainException.class);
    }

    @Test
    void createCampaign_smsLongerThanLimit_isRejected() {
        CampaignDefinition longSms = new CampaignDefinition(
                "x", Channel.SMS, CampaignContent.sms("a".repeat(1601)), null, null);
        fixture.givenNoPriorActivity()
               .when(new CreateCampaignCommand(ID, longSms))
               .expectNoEvents()
               .expectException(DomainException.class);
    }

    @Test
    void createCampaign_withBrokenLiquid_isUnprocessableWithLineAndColumn() {
        CampaignDefinition broken = new CampaignDefinition(
                "x", Channel.EMAIL, CampaignContent.email("Hi", "Hello\n{% if vip %}\nno end", null), null, null);
        fixture.givenNoPriorActivity()
               .when(new CreateCampaignCommand(ID, broken))
               .expectNoEvents()
               .expectException(new CustomTypeSafeMatcher<DomainException>("template problem with position") {
                   @Override
                   protected boolean matchesSafely(DomainException e) {
                       return e.kind() == DomainException.Kind.UNPROCESSABLE
                               && "campaign.template.invalid".equals(e.code())
                               && "content.body".equals(e.field())
                               && e.details().get("line") instanceof Integer;
                   }
               });
    }

    @Test
    void updateCampaign_inDraft_recordsNewDefinition() {
        CampaignDefinition renamed = new CampaignDefinition(
                "Winter sale v2", Channel.EMAIL, EMAIL.content(), "segment-1", null);
        fixture.given(created())
               .when(new UpdateCampaignCommand(ID, renamed))
               .expectEvents(new CampaignUpdatedEvent(ID, renamed))
               .expectResultMessagePayload(1L);
    }

    @Test
    void updateCampaign_withUnchangedDefinition_recordsNothing() {
        fixture.given(created())
               .when(new UpdateCampaignCommand(ID, EMAIL))
               .expectNoEvents();
    }

    @Test
    void updateCampaign_whileRunning_isAnIllegalTransition() {
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .when(new UpdateCampaignCommand(ID, EMAIL))
               .expectNoEvents()
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void scheduleCampaign_inTheFuture_schedulesPersistentLaunchDeadline() {
        Instant sendAt = now.plus(Duration.ofHours(2));
        fixture.given(created())
               .when(new ScheduleCampaignCommand(ID, sendAt, PARIS))
               .expectEvents(new CampaignScheduledEvent(ID, sendAt, PARIS, null))
               .expectScheduledDeadlineWithName(sendAt, Campaign.LAUNCH_DEADLINE);
    }

    @Test
    void scheduleCampaign_inThePast_isRejected() {
        fixture.given(created())
               .when(new ScheduleCampaignCommand(ID, now.minusSeconds(1), PARIS))
               .expectNoEvents()
               .expectException(DomainException.class)
               .expectExceptionMessage("sendAt must be in the future")
               .expectNoScheduledDeadlines();
    }

    @Test
    void scheduleCampaign_moreThanAYearAhead_isRejected() {
        fixture.given(created())
               .when(new ScheduleCampaignCommand(ID, now.plus(Duration.ofDays(367)), PARIS))
               .expectNoEvents()
               .expectException(DomainException.class)
               .expectExceptionMessage("sendAt must be at most one year ahead");
    }

    @Test
    void rescheduleCampaign_replacesTheDeadline() {
        Instant first = now.plus(Duration.ofHours(2));
        Instant second = now.plus(Duration.ofHours(5));
        fixture.givenCommands(new CreateCampaignCommand(ID, EMAIL), new ScheduleCampaignCommand(ID, first, PARIS))
               .when(new ScheduleCampaignCommand(ID, second, PARIS))
               .expectEvents(new CampaignScheduledEvent(ID, second, PARIS, first))
               .expectScheduledDeadlineWithName(second, Campaign.LAUNCH_DEADLINE)
               .expectNoScheduledDeadlineWithName(first, Campaign.LAUNCH_DEADLINE);
    }

    @Test
    void launchDeadline_atScheduledTime_launchesCampaign() {
        Instant sendAt = now.plus(Duration.ofHours(2));
        fixture.givenCommands(new CreateCampaignCommand(ID, EMAIL), new ScheduleCampaignCommand(ID, sendAt, PARIS))
               .whenTimeAdvancesTo(sendAt)
               .expectDeadlinesMet(new CampaignLaunchDue(sendAt))
               .expectEvents(new CampaignLaunchedEvent(ID, now, LaunchTrigger.SCHEDULE, EMAIL));
    }

    @Test
    void launchDeadline_carriesSchedulerActorAndTheSchedulingCorrelationId() {
        Instant sendAt = now.plus(Duration.ofHours(2));
        fixture.given(created())
               .andGivenCommands(new org.axonframework.commandhandling.GenericCommandMessage<>(
                       new ScheduleCampaignCommand(ID, sendAt, PARIS),
                       org.axonframework.messaging.MetaData.with("correlationId", "req-42").and("actor", "user:ann")))
               .whenTimeAdvancesTo(sendAt)
               .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                       new CustomTypeSafeMatcher<org.axonframework.eventhandling.EventMessage<?>>("scheduler launch") {
                           @Override
                           protected boolean matchesSafely(org.axonframework.eventhandling.EventMessage<?> m) {
                               return m.getPayload() instanceof CampaignLaunchedEvent
                                       && "system:scheduler".equals(m.getMetaData().get("actor"))
                                       && "req-42".equals(m.getMetaData().get("correlationId"));
                           }
                       },
                       org.axonframework.test.matchers.Matchers.andNoMore()));
    }

    @Test
    void launchDeadline_afterCancellation_neverFires() {
        Instant sendAt = now.plus(Duration.ofHours(2));
        fixture.givenCommands(new CreateCampaignCommand(ID, EMAIL),
                              new ScheduleCampaignCommand(ID, sendAt, PARIS),
                              new CancelCampaignCommand(ID, "wrong list"))
               .whenTimeAdvancesTo(sendAt.plusSeconds(60))
               .expectNoEvents()
               .expectNoScheduledDeadlines();
    }

    @Test
    void launchDeadline_withMismatchingSendAt_launchesNothing() {
        Instant sendAt = now.plus(Duration.ofHours(2));
        Instant earlier = now.plus(Duration.ofHours(1));
        fixture.givenCommands(new CreateCampaignCommand(ID, EMAIL), new ScheduleCampaignCommand(ID, earlier, PARIS))
               .andGiven(new CampaignScheduledEvent(ID, sendAt, PARIS, earlier))
               .whenTimeAdvancesTo(earlier)
               .expectDeadlinesMet(new CampaignLaunchDue(earlier))
               .expectNoEvents();
    }

    @Test
    void launchCampaign_fromDraft_runsNow() {
        fixture.given(created())
               .when(new LaunchCampaignCommand(ID))
               .expectEvents(new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .expectResultMessagePayload(1L);
    }

    @Test
    void launchCampaign_whenScheduled_cancelsTheDeadline() {
        Instant sendAt = now.plus(Duration.ofHours(2));
        fixture.givenCommands(new CreateCampaignCommand(ID, EMAIL), new ScheduleCampaignCommand(ID, sendAt, PARIS))
               .when(new LaunchCampaignCommand(ID))
               .expectEvents(new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .expectNoScheduledDeadlines();
    }

    @Test
    void launchCampaign_whenRunning_isAnIllegalTransition() {
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .when(new LaunchCampaignCommand(ID))
               .expectNoEvents()
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void launchCampaign_whenPaused_isAnIllegalTransition() {
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL),
                      new CampaignPausedEvent(ID, now))
               .when(new LaunchCampaignCommand(ID))
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void pauseAndResume_whileRunning_moveBetweenRunningAndPaused() {
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .when(new PauseCampaignCommand(ID))
               .expectEvents(new CampaignPausedEvent(ID, now));
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL),
                      new CampaignPausedEvent(ID, now))
               .when(new ResumeCampaignCommand(ID))
               .expectEvents(new CampaignResumedEvent(ID, now));
    }

    @Test
    void pauseCampaign_inDraft_isAnIllegalTransitionCarryingTheCurrentStatus() {
        fixture.given(created())
               .when(new PauseCampaignCommand(ID))
               .expectNoEvents()
               .expectException(IllegalCampaignTransitionException.class)
               .expectException(new CustomTypeSafeMatcher<IllegalCampaignTransitionException>("currentStatus DRAFT") {
                   @Override
                   protected boolean matchesSafely(IllegalCampaignTransitionException e) {
                       return "DRAFT".equals(e.details().get("currentStatus"))
                               && IllegalCampaignTransitionException.CODE.equals(e.code());
                   }
               });
    }

    @Test
    void resumeCampaign_whenRunning_isAnIllegalTransition() {
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .when(new ResumeCampaignCommand(ID))
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void cancelCampaign_whilePaused_recordsPreviousStatusAndReason() {
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL),
                      new CampaignPausedEvent(ID, now))
               .when(new CancelCampaignCommand(ID, "budget"))
               .expectEvents(new CampaignCancelledEvent(ID, CampaignStatus.PAUSED, "budget", now));
    }

    @Test
    void cancelCampaign_whenCancelled_isAnIllegalTransition() {
        fixture.given(created(), new CampaignCancelledEvent(ID, CampaignStatus.DRAFT, null, now))
               .when(new CancelCampaignCommand(ID, null))
               .expectNoEvents()
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void completeCampaign_whileRunning_completes() {
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .when(new CompleteCampaignCommand(ID, null))
               .expectEvents(new CampaignCompletedEvent(ID, now, null));
    }

    @Test
    void completeCampaign_inDraft_isAnIllegalTransition() {
        fixture.given(created())
               .when(new CompleteCampaignCommand(ID, null))
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void statusRules_allowExactlyTheDocumentedMoves() {
        assertThat(CampaignStatus.DRAFT.allowedTargets())
                .containsExactlyInAnyOrder(CampaignStatus.SCHEDULED, CampaignStatus.RUNNING, CampaignStatus.CANCELLED);
        assertThat(CampaignStatus.RUNNING.allowedTargets())
                .containsExactlyInAnyOrder(CampaignStatus.PAUSED, CampaignStatus.COMPLETED, CampaignStatus.CANCELLED,
                                           CampaignStatus.FAILED);
        assertThat(CampaignStatus.PAUSED.allowedTargets())
                .containsExactlyInAnyOrder(CampaignStatus.RUNNING, CampaignStatus.CANCELLED, CampaignStatus.FAILED);
        assertThat(CampaignStatus.COMPLETED.allowedTargets()).isEmpty();
        assertThat(CampaignStatus.CANCELLED.allowedTargets()).isEmpty();
        assertThat(CampaignStatus.FAILED.allowedTargets()).isEmpty();
        assertThat(CampaignStatus.FAILED.isFinal()).isTrue();
        assertThat(CampaignStatus.FAILED.isEditable()).isFalse();
    }

    private static final String NO_SMTP = "The email channel is not configured";

    private CampaignLaunchedEvent launched() {
        return new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL);
    }

    private CampaignFailedEvent failedWhile(CampaignStatus previous) {
        return new CampaignFailedEvent(ID, previous, CampaignFailedEvent.CHANNEL_NOT_CONFIGURED, NO_SMTP, now);
    }

    @Test
    void failCampaign_whileRunning_failsWithReasonAndDetail() {
        fixture.given(created(), launched())
               .when(new FailCampaignCommand(ID, CampaignFailedEvent.CHANNEL_NOT_CONFIGURED, NO_SMTP))
               .expectEvents(failedWhile(CampaignStatus.RUNNING))
               .expectResultMessagePayload(2L);
    }

    @Test
    void failCampaign_whilePaused_recordsPausedAsPreviousStatus() {
        fixture.given(created(), launched(), new CampaignPausedEvent(ID, now))
               .when(new FailCampaignCommand(ID, CampaignFailedEvent.CHANNEL_NOT_CONFIGURED, NO_SMTP))
               .expectEvents(failedWhile(CampaignStatus.PAUSED));
    }

    @Test
    void failCampaign_askedAgain_isAnsweredWithoutASecondEvent() {
        fixture.given(created(), launched(), failedWhile(CampaignStatus.RUNNING))
               .when(new FailCampaignCommand(ID, CampaignFailedEvent.CHANNEL_NOT_CONFIGURED, NO_SMTP))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents()
               .expectResultMessagePayload(2L);
    }

    @Test
    void failCampaign_inDraft_isAnIllegalTransition() {
        fixture.given(created())
               .when(new FailCampaignCommand(ID, CampaignFailedEvent.CHANNEL_NOT_CONFIGURED, NO_SMTP))
               .expectNoEvents()
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void failCampaign_afterCompletion_isAnIllegalTransition() {
        fixture.given(created(), launched(), new CampaignCompletedEvent(ID, now, null))
               .when(new FailCampaignCommand(ID, CampaignFailedEvent.CHANNEL_NOT_CONFIGURED, NO_SMTP))
               .expectNoEvents()
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void resumeCampaign_whenFailed_isAnIllegalTransitionCarryingFailed() {
        fixture.given(created(), launched(), failedWhile(CampaignStatus.RUNNING))
               .when(new ResumeCampaignCommand(ID))
               .expectNoEvents()
               .expectException(new CustomTypeSafeMatcher<IllegalCampaignTransitionException>("currentStatus FAILED") {
                   @Override
                   protected boolean matchesSafely(IllegalCampaignTransitionException e) {
                       return "FAILED".equals(e.details().get("currentStatus"));
                   }
               });
    }

    @Test
    void pauseLaunchCancelOrComplete_whenFailed_areIllegalTransitions() {
        for (Object command : new Object[] {new PauseCampaignCommand(ID), new LaunchCampaignCommand(ID),
                new CancelCampaignCommand(ID, null), new CompleteCampaignCommand(ID, null),
                new UpdateCampaignCommand(ID, EMAIL)}) {
            fixture.given(created(), launched(), failedWhile(CampaignStatus.RUNNING))
                   .when(command)
                   .expectNoEvents()
                   .expectException(IllegalCampaignTransitionException.class);
        }
    }

    @Test
    void recordAudience_ofAFailedCampaign_isStillRecorded() {
        fixture.given(created(), launched(), failedWhile(CampaignStatus.RUNNING))
               .when(new RecordCampaignAudienceCommand(ID, 3, 0, "segment-1", 1))
               .expectEvents(new CampaignAudienceFrozenEvent(ID, 3, 0, "segment-1", 1, now));
    }

    @Test
    void failCampaign_forADeletedSegmentThatStillExists_isRefused() {
        fixture.given(created(), launched())
               .when(new FailCampaignCommand(ID, CampaignFailedEvent.SEGMENT_DELETED, "gone"))
               .expectNoEvents()
               .expectException(DomainException.class);
    }

    @Test
    void failCampaign_forADeletedSegmentThatIsGone_fails() {
        AggregateTestFixture<Campaign> noSegments = new AggregateTestFixture<>(Campaign.class);
        Instant at = noSegments.currentTime();
        noSegments.registerInjectableResource(Clock.fixed(at, ZoneOffset.UTC));
        noSegments.registerInjectableResource((io.herald.command.segment.SegmentDirectory) (segmentId, field) -> {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE,
                                      io.herald.command.segment.SegmentDirectory.UNKNOWN_SEGMENT, "No segment");
        });
        noSegments.given(created(), new CampaignLaunchedEvent(ID, at, LaunchTrigger.MANUAL, EMAIL))
                  .when(new FailCampaignCommand(ID, CampaignFailedEvent.SEGMENT_DELETED, "Segment segment-1 was deleted"))
                  .expectEvents(new CampaignFailedEvent(ID, CampaignStatus.RUNNING, CampaignFailedEvent.SEGMENT_DELETED,
                                                        "Segment segment-1 was deleted", at));
    }

    @Test
    void launchCampaign_withoutSegment_isRejectedWithCode() {
        fixture.given(new CampaignCreatedEvent(ID, NO_SEGMENT))
               .when(new LaunchCampaignCommand(ID))
               .expectNoEvents()
               .expectException(DomainException.class)
               .expectExceptionMessage("Choose a segment before scheduling or launching the campaign");
    }

    @Test
    void recordAudience_onARunningCampaign_isRecordedOnce() {
        var frozen = new CampaignAudienceFrozenEvent(ID, 10, 2, "segment-1", 3, now);
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .when(new RecordCampaignAudienceCommand(ID, 10, 2, "segment-1", 3))
               .expectEvents(frozen);
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL), frozen)
               .when(new RecordCampaignAudienceCommand(ID, 10, 2, "segment-1", 3))
               .expectNoEvents()
               .expectSuccessfulHandlerExecution();
    }

    @Test
    void recordAudience_onADraft_isRefused() {
        fixture.given(created())
               .when(new RecordCampaignAudienceCommand(ID, 10, 2, "segment-1", 3))
               .expectNoEvents()
               .expectException(IllegalCampaignTransitionException.class);
    }

    @Test
    void completeCampaign_carriesTheTotals() {
        var totals = new io.herald.api.delivery.DeliveryTotals(10, 7, 1, 2, 0);
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .when(new CompleteCampaignCommand(ID, totals))
               .expectEvents(new CampaignCompletedEvent(ID, now, totals));
    }

    private static final String COPY = "0b6d8e1a-2f1c-4c1e-9a57-3d3f5f0f4c99";

    @Test
    void duplicateCampaign_makesADraftCopyUnderTheNewName_andRecordsItOnBothHistories() {
        CampaignDefinition template = new CampaignDefinition("Daily digest", Channel.EMAIL,
                CampaignContent.email("Today", "News", null), "segment-1", 50, true, true);
        fixture.given(new CampaignCreatedEvent(ID, template))
               .when(new DuplicateCampaignCommand(ID, COPY, "  Daily digest 2026-12-07 "))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new CampaignCreatedEvent(COPY, new CampaignDefinition("Daily digest 2026-12-07",
                                     Channel.EMAIL, CampaignContent.email("Today", "News", null), "segment-1", 50,
                                     true, null), ID),
                             new CampaignDuplicatedEvent(ID, COPY, "Daily digest 2026-12-07"))
               .expectResultMessagePayload(0L);
    }

    @Test
    void duplicateCampaign_ofARunningCampaign_isAllowed() {
        fixture.given(created(), new CampaignLaunchedEvent(ID, now, LaunchTrigger.MANUAL, EMAIL))
               .when(new DuplicateCampaignCommand(ID, COPY, "Winter sale (copy)"))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new CampaignCreatedEvent(COPY, EMAIL.copyNamed("Winter sale (copy)"), ID),
                             new CampaignDuplicatedEvent(ID, COPY, "Winter sale (copy)"));
    }

    @Test
    void duplicateCampaign_retriedWithTheSameCopyId_makesNoSecondCopy() {
        fixture.given(created(), new CampaignDuplicatedEvent(ID, COPY, "Winter sale (copy)"))
               .when(new DuplicateCampaignCommand(ID, COPY, "Winter sale (copy)"))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents()
               .expectResultMessagePayload(0L);
    }

    @Test
    void duplicateCampaign_ontoItsOwnId_isRejected() {
        fixture.given(created())
               .when(new DuplicateCampaignCommand(ID, ID, "Winter sale (copy)"))
               .expectException(CampaignAlreadyExistsException.class);
    }
}
