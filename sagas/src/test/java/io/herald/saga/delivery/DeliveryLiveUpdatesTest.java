package io.herald.saga.delivery;

import io.herald.api.campaign.CampaignCompletedEvent;
import io.herald.api.delivery.CampaignProgressView;
import io.herald.api.delivery.DeliveryTotals;
import io.herald.api.delivery.FindCampaignProgressQuery;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryUpdateMessage;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Instant;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class DeliveryLiveUpdatesTest {

    private static final Instant LAUNCHED = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant COMPLETED = Instant.parse("2026-11-28T10:05:00Z");

    private final DeliveryQueryHandler queries = mock(DeliveryQueryHandler.class);
    private final QueryUpdateEmitter emitter = mock(QueryUpdateEmitter.class);
    private final DeliveryLiveUpdates updates = new DeliveryLiveUpdates(queries, emitter);

    private static CampaignProgressView row(String state, long audience, long sent, long failed) {
        long remaining = audience - sent - failed;
        return new CampaignProgressView("c1", null, state, true, audience, sent, failed, 0, 0, remaining,
                                        Math.floor((sent + failed) * 1000.0 / audience) / 10, 4.0, 3L, LAUNCHED,
                                        LAUNCHED, null, LAUNCHED);
    }

    @SuppressWarnings("unchecked")
    private CampaignProgressView emitted() {
        ArgumentCaptor<Object> update = ArgumentCaptor.forClass(Object.class);
        verify(emitter).emit(eq(FindCampaignProgressQuery.class), any(Predicate.class), update.capture());
        Object value = update.getValue();
        return (CampaignProgressView) (value instanceof SubscriptionQueryUpdateMessage<?> m ? m.getPayload() : value);
    }

    @Test
    void theFinalUpdateCarriesTheCountersTheCampaignCompletedWith() {
        // the run row read while handling the event lags behind the completion
        when(queries.progress("c1")).thenReturn(row("SENDING", 20, 11, 0));

        updates.on(new CampaignCompletedEvent("c1", COMPLETED, new DeliveryTotals(20, 19, 1, 0, 0)));

        CampaignProgressView view = emitted();
        assertThat(view.state()).isEqualTo("DONE");
        assertThat(view.sent()).isEqualTo(19);
        assertThat(view.failed()).isEqualTo(1);
        assertThat(view.remaining()).isZero();
        assertThat(view.percent()).isEqualTo(100.0);
        assertThat(view.finishedAt()).isEqualTo(COMPLETED);
        assertThat(view.etaSeconds()).isNull();
    }

    @Test
    void aCompletionWhoseTotalsDoNotAddUpIsNotShownAsEverythingDone() {
        when(queries.progress("c1")).thenReturn(row("DONE", 20, 11, 0));

        updates.on(new CampaignCompletedEvent("c1", COMPLETED, new DeliveryTotals(20, 11, 0, 0, 0)));

        CampaignProgressView view = emitted();
        assertThat(view.state()).isEqualTo("DONE");
        assertThat(view.remaining()).isEqualTo(9);
        assertThat(view.percent()).isEqualTo(55.0);
    }

    @Test
    void completionsStoredBeforeDeliveryExistedKeepTheRunRowsCounters() {
        when(queries.progress("c1")).thenReturn(row("SENDING", 20, 20, 0));

        updates.on(new CampaignCompletedEvent("c1", COMPLETED, null));

        CampaignProgressView view = emitted();
        assertThat(view.state()).isEqualTo("DONE");
        assertThat(view.sent()).isEqualTo(20);
        assertThat(view.percent()).isEqualTo(100.0);
    }
}
