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
import java.util.function.Predicate;
import java.util.function.Supplier;

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

    /** A campaign's progress: {@code progress} events until the run is DONE. */
    public SseEmitter progress(String campaignId, CampaignProgressView initial,
                               Supplier<CampaignProgressView> current) {
        return follow("progress", initial, view -> FINAL_STATES.contains(view.state()),
                      new FindCampaignProgressQuery(campaignId), CampaignProgressView.class, current);
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
    public SseEmitter contactImport(String importId, ContactImportView initial, Supplier<ContactImportView> current) {
        return follow("import", initial, view -> view.state() != ImportState.RUNNING,
                      new FindContactImportQuery(importId), ContactImportView.class, current);
    }

    /**
     * Sends {@code initial}, then looks at {@code current} every {@code every} and sends it again when it is not
     * {@code same} as the last sent (for read models that change too often to push each change: a flow's stats).
     */
    public <T> SseEmitter poll(String event, T initial, Supplier<T> current, Duration every,
                               java.util.function.BiPredicate<T, T> same) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        if (!send(emitter, event, initial)) {
            emitter.complete();
            return emitter;
        }
        java.util.concurrent.atomic.AtomicReference<T> last = new java.util.concurrent.atomic.AtomicReference<>(initial);
        Disposable polls = reactor.core.publisher.Flux.interval(every, every)
                .onBackpressureDrop()
                .publishOn(reactor.core.scheduler.Schedulers.boundedElastic(), 1)
                .subscribe(tick -> {
                    T now;
                    try {
                        now = current.get();
                    } catch (RuntimeException e) {
                        log.debug("Stream {}: {}", event, e.toString());
                        emitter.complete();
                        return;
                    }
                    if (now != null && !same.test(last.get(), now)) {
                        last.set(now);
                        if (!send(emitter, event, now)) {
                            emitter.complete();
                        }
                    }
                });
        keepAlive(emitter, polls::dispose);
        return emitter;
    }

    /**
     * Sends {@code initial}, then every update of the subscription query, until a final one. After
     * subscribing it reads {@code current} once more: a change that landed between the first read and the
     * subscription (the last one, say) would otherwise never reach the stream.
     */
    private <T> SseEmitter follow(String event, T initial, Predicate<T> isFinal, Object query, Class<T> type,
                                  Supplier<T> current) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        if (!send(emitter, event, initial) || isFinal.test(initial)) {
            emitter.complete();
            return emitter;
        }
        SubscriptionQueryResult<T, T> subscription = queries.subscriptionQuery(query, type, type);
        Disposable updates = subscription.updates().subscribe(view -> {
            if (!send(emitter, event, view)) {
                subscription.cancel();
            } else if (isFinal.test(view)) {
                emitter.complete();
                subscription.cancel();
            }
        }, emitter::completeWithError);
        keepAlive(emitter, () -> {
            updates.dispose();
            subscription.cancel();
        });
        T again = current.get();
        if (again != null && isFinal.test(again)) {
            send(emitter, event, again);
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
