package io.herald.saga.delivery;

import io.herald.api.campaign.CampaignAudienceFrozenEvent;
import io.herald.api.campaign.CampaignCancelledEvent;
import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.campaign.CampaignLaunchedEvent;
import io.herald.api.campaign.CampaignPausedEvent;
import io.herald.api.campaign.CampaignResumedEvent;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CompleteCampaignCommand;
import io.herald.api.campaign.LaunchTrigger;
import io.herald.api.delivery.DeliveryBatchRecordedEvent;
import io.herald.api.delivery.DeliveryTotals;
import org.axonframework.test.saga.FixtureExecutionResult;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class CampaignSendSagaTest {

    private static final String ID = "c-1";
    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    private SagaTestFixture<CampaignSendSaga> fixture;
    private CampaignRuns runs;
    private DeliveryStore store;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(CampaignSendSaga.class);
        runs = mock(CampaignRuns.class);
        store = mock(DeliveryStore.class);
        fixture.registerResource(runs);
        fixture.registerResource(store);
    }

    private static CampaignLaunchedEvent launched() {
        return new CampaignLaunchedEvent(ID, AT, LaunchTrigger.MANUAL, null);
    }

    private static DeliveryBatchRecordedEvent batch(long sent, long failed, long skipped, long unknown) {
        return new DeliveryBatchRecordedEvent(ID, "w", AT, sent, failed, skipped, unknown, List.of());
    }

    /** Launched, its audience frozen, one batch recorded; then a second batch event. */
    private FixtureExecutionResult frozenThenTwoBatches(long audience, DeliveryBatchRecordedEvent first,
                                                        DeliveryBatchRecordedEvent second) {
        return fixture.givenAPublished(launched())
                      .andThenAPublished(new CampaignAudienceFrozenEvent(ID, audience, 0, "s", 1, AT))
                      .andThenAPublished(first)
                      .whenPublishingA(second);
    }

    @Test
    void launch_opensTheRun() {
        fixture.givenNoPriorActivity()
               .whenPublishingA(launched())
               .expectActiveSagas(1)
               .expectNoDispatchedCommands();
        verify(runs).open(eq(ID), eq(AT), any(), any());
    }

    @Test
    void aSettledRun_completesTheCampaignWithTheRunsTotals() {
        DeliveryTotals totals = new DeliveryTotals(10, 6, 1, 2, 1);
        // asked after the audience and after each batch: settled only after the last
        when(store.settledTotals(ID)).thenReturn(Optional.empty(), Optional.empty(), Optional.of(totals));
        frozenThenTwoBatches(10, batch(5, 1, 0, 0), batch(1, 0, 0, 1))
                .expectDispatchedCommands(new CompleteCampaignCommand(ID, totals));
    }

    @Test
    void batchEventsAddingUpToTheAudience_completeNothingWhileTheRunHasRecipientsLeft() {
        // the same batch event delivered twice: its counts add up to the audience, the run knows better
        when(store.settledTotals(ID)).thenReturn(Optional.empty());
        frozenThenTwoBatches(10, batch(5, 0, 0, 0), batch(5, 0, 0, 0)).expectNoDispatchedCommands();
    }

    @Test
    void aRunSettledBeforeTheAudienceIsRecorded_completesWhenItIs() {
        DeliveryTotals totals = new DeliveryTotals(10, 8, 0, 2, 0);
        when(store.settledTotals(ID)).thenReturn(Optional.of(totals));
        fixture.givenAPublished(launched())
               .andThenAPublished(batch(8, 0, 0, 0))
               .whenPublishingA(new CampaignAudienceFrozenEvent(ID, 10, 2, "s", 1, AT))
               .expectDispatchedCommands(new CompleteCampaignCommand(ID, totals));
    }

    @Test
    void completion_isAskedForOnce() {
        DeliveryTotals totals = new DeliveryTotals(3, 3, 0, 0, 0);
        when(store.settledTotals(ID)).thenReturn(Optional.of(totals));
        frozenThenTwoBatches(3, batch(3, 0, 0, 0), batch(3, 0, 0, 0)).expectNoDispatchedCommands();
    }

    @Test
    void whilePaused_completionWaitsForTheResume() {
        DeliveryTotals totals = new DeliveryTotals(3, 3, 0, 0, 0);
        when(store.settledTotals(ID)).thenReturn(Optional.of(totals));
        fixture.givenAPublished(launched())
               .andThenAPublished(new CampaignPausedEvent(ID, AT))
               .andThenAPublished(new CampaignAudienceFrozenEvent(ID, 3, 0, "s", 1, AT))
               .andThenAPublished(batch(3, 0, 0, 0))
               .whenPublishingA(new CampaignResumedEvent(ID, AT))
               .expectDispatchedCommands(new CompleteCampaignCommand(ID, totals));
        verify(runs).setPaused(ID, true);
        verify(runs).setPaused(ID, false);
    }

    @Test
    void cancel_endsTheSagaAndCancelsTheRun() {
        fixture.givenAPublished(launched())
               .whenPublishingA(new CampaignCancelledEvent(ID, CampaignStatus.RUNNING, "oops", AT))
               .expectActiveSagas(0);
        verify(runs).cancel(ID);
    }

    @Test
    void failure_endsTheSagaAndStopsTheRun_withoutCompletingTheCampaign() {
        fixture.givenAPublished(launched())
               .andThenAPublished(new CampaignAudienceFrozenEvent(ID, 3, 0, "s", 1, AT))
               .whenPublishingA(new io.herald.api.campaign.CampaignFailedEvent(ID, CampaignStatus.RUNNING,
                       io.herald.api.campaign.CampaignFailedEvent.CHANNEL_NOT_CONFIGURED, "no SMTP", AT))
               .expectActiveSagas(0)
               .expectNoDispatchedCommands();
        verify(runs).fail(ID);
    }

    @Test
    void completion_endsTheSagaAndFinishesTheRun() {
        fixture.givenAPublished(launched())
               .whenPublishingA(new CampaignCompletedEvent(ID, AT, null))
               .expectActiveSagas(0);
        verify(runs).finish(ID);
    }
}
