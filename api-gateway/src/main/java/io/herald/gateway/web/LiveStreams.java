package io.herald.gateway.web;

import io.herald.api.contact.ContactImportView;
import io.herald.api.contact.FindContactImportQuery;
import io.herald.api.contact.ImportState;
import io.herald.api.delivery.CampaignProgressView;
import io.herald.api.delivery.FailurePage;
import io.herald.api.delivery.FindCampaignProgressQuery;
import io.herald.api.delivery.FindFailuresQuery;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.Disposable;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * Server-sent event streams fed by subscription queries (updates are pushed by the delivery side's
 * live-update handler on every instance; nothing here polls). A comment line every 15 s keeps
 * proxies from closing idle streams; streams end after 30 minutes (browsers reconnect by themselves).
 */
@Component
public class LiveStreams {

    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);
    private static final long TIMEOUT_MILLIS = Duration.ofMinutes(30).toMillis();
    private static final Set<String> FINAL_STATES = Set.of("DONE");

    private final QueryGateway queries;

    public LiveStreams(QueryGateway queries) {
        this.queries = queries;
    }

    public SseEmitter progress(String campaignId, CampaignProgressView initial) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        if (!send(emitter, "progress", initial) || FINAL_STATES.contains(initial.state())) {
            emitter.complete();
            return emitter;
        }
        SubscriptionQueryResult<CampaignProgressView, CampaignProgressView> subscription = queries.subscriptionQuery(
                new FindCampaignProgressQuery(campaignId), CampaignProgressView.class, CampaignProgressView.class);
        Disposable updates = subscription.updates().subscribe(view -> {
            if (!send(emitter, "progress", view)) {
                subscription.cancel();
            } else if (FINAL_STATES.contains(view.state())) {
                emitter.complete();
                subscription.cancel();
            }
        }, error -> emitter.completeWithError(error));
        keepAlive(emitter, () -> {
            updates.dispose();
            subscription.cancel();
        });
        return emitter;
    }

    public SseEmitter failures(String campaignId) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        SubscriptionQueryResult<FailurePage, FailurePage> subscription = queries.subscriptionQuery(
                new FindFailuresQuery(campaignId, null, null, null, null, null, 1), FailurePage.class,
                FailurePage.class);
        Disposable updates = subscription.updates().subscribe(page -> {
            if (!send(emitter, "failures", java.util.Map.of("campaignId", campaignId == null ? "" : campaignId))) {
                subscription.cancel();
            }
        }, error -> emitter.completeWithError(error));
        send(emitter, "ready", java.util.Map.of());
        keepAlive(emitter, () -> {
            updates.dispose();
            subscription.cancel();
        });
        return emitter;
    }

    /** An import's progress: {@code import} events until it is COMPLETED or FAILED. */
    public SseEmitter contactImport(String importId, ContactImportView initial) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        if (!send(emitter, "import", initial) || initial.state() != ImportState.RUNNING) {
            emitter.complete();
            return emitter;
        }
        SubscriptionQueryResult<ContactImportView, ContactImportView> subscription = queries.subscriptionQuery(
                new FindContactImportQuery(importId), ContactImportView.class, ContactImportView.class);
        Disposable updates = subscription.updates().subscribe(view -> {
            if (!send(emitter, "import", view)) {
                subscription.cancel();
            } else if (view.state() != ImportState.RUNNING) {
                emitter.complete();
                subscription.cancel();
            }
        }, emitter::completeWithError);
        keepAlive(emitter, () -> {
            updates.dispose();
            subscription.cancel();
        });
        // an import that finished between the first read and the subscription: one more read closes the gap
        ContactImportView again = queries.query(new FindContactImportQuery(importId), ContactImportView.class).join();
        if (again != null && again.state() != ImportState.RUNNING) {
            send(emitter, "import", again);
            emitter.complete();
        }
        return emitter;
    }

    private void keepAlive(SseEmitter emitter, Runnable close) {
        Disposable pings = reactor.core.publisher.Flux.interval(Duration.ofSeconds(15)).subscribe(tick -> {
            try {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            } catch (IOException | IllegalStateException e) {
                emitter.complete();
            }
        });
        Runnable cleanup = () -> {
            pings.dispose();
            close.run();
        };
        emitter.onCompletion(cleanup);
        emitter.onTimeout(cleanup);
        emitter.onError(error -> cleanup.run());
    }

    private static boolean send(SseEmitter emitter, String name, Object data) {
        try {
            emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
            return true;
        } catch (IOException | IllegalStateException e) {
            log.debug("Stream closed: {}", e.getMessage());
            return false;
        }
    }
}
