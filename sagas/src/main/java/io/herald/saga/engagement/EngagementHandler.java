package io.herald.saga.engagement;

import io.herald.api.engagement.EmailOpenedEvent;
import io.herald.api.engagement.EngagementRecorded;
import io.herald.api.engagement.LinkClickedEvent;
import io.herald.api.engagement.RecordEngagementCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Records opens and clicks. The token is verified first (a forged, cut or unknown token records nothing); then, in
 * the command's transaction, the delivery's engagement state ({@code email_engagement_state}: first open, previous
 * click, links clicked so far) is read under a row lock, the hit is classified ({@link MachineTraffic}) and the
 * state updated, and the event is appended to the event store. Either all of it is stored or none. Every hit is an
 * event (a pixel fetched twice is two opens); {@code first} marks the unique ones.
 */
@Component
class EngagementHandler {

    private final TrackingTokens tokens;
    private final MachineTraffic machines;
    private final JdbcTemplate jdbc;

    EngagementHandler(TrackingTokens tokens, MachineTraffic machines, DataSource dataSource) {
        this.tokens = tokens;
        this.machines = machines;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The delivery's engagement so far. */
    private record State(Instant firstOpenAt, Instant lastClickAt, int lastClickLink, int[] clickedLinks) {
    }

    /**
     * The hits of concurrent requests in one transaction. Their deliveries' rows are locked in delivery order (hits of
     * one delivery in the order they came), so two groups written at once never wait for each other in a circle.
     */
    @CommandHandler
    List<EngagementRecorded> handle(RecordEngagementCommand command, EventBus eventBus, Clock clock) {
        List<RecordEngagementCommand.Hit> hits = command.hits();
        List<Optional<TrackingTokens.Verified>> verified = hits.stream()
                .map(hit -> tokens.verify(hit.token()).filter(v -> v.click() == hit.click())).toList();
        EngagementRecorded[] recorded = new EngagementRecorded[hits.size()];
        IntStream.range(0, hits.size()).boxed()
                .filter(i -> verified.get(i).isPresent())
                .sorted(Comparator.comparing(i -> verified.get(i).get().send().deliveryId()))
                .forEach(i -> recorded[i] = hits.get(i).click()
                        ? click(verified.get(i).get(), hits.get(i).userAgent(), eventBus, clock.instant())
                        : open(verified.get(i).get(), hits.get(i).userAgent(), eventBus, clock.instant()));
        return Arrays.asList(recorded);
    }

    private EngagementRecorded open(TrackingTokens.Verified verified, String userAgent, EventBus eventBus, Instant now) {
        TrackingTokens.Send send = verified.send();
        String agent = MachineTraffic.userAgentClass(userAgent);
        State state = lock(send.deliveryId());
        MachineTraffic.Verdict verdict = machines.open(agent, send.sentAt(), now);
        jdbc.update("update email_engagement_state set first_open_at = coalesce(first_open_at, ?), opens = opens + 1 "
                            + "where delivery_id = ?", Timestamp.from(now), send.deliveryId());
        EmailOpenedEvent event = new EmailOpenedEvent(send.deliveryId(), send.contactId(), send.campaignId(),
                                                      send.flowId(), send.nodeId(), send.sentAt(), now, agent,
                                                      state.firstOpenAt() == null, verdict.machine(), verdict.reason());
        eventBus.publish(new GenericEventMessage<>(UUID.randomUUID().toString(), event,
                                                   CurrentUnitOfWork.correlationData(), now));
        return new EngagementRecorded(send.deliveryId(), null, verdict.machine(), verdict.reason());
    }

    private EngagementRecorded click(TrackingTokens.Verified click, String userAgent, EventBus eventBus, Instant now) {
        TrackingTokens.Send send = click.send();
        String agent = MachineTraffic.userAgentClass(userAgent);
        State state = lock(send.deliveryId());
        MachineTraffic.Verdict verdict = machines.click(agent, send.sentAt(), now, click.linkIndex(), send.pixel(),
                                                        state.firstOpenAt(), state.lastClickAt(), state.lastClickLink());
        boolean first = Arrays.stream(state.clickedLinks()).noneMatch(link -> link == click.linkIndex());
        jdbc.update("update email_engagement_state set last_click_at = ?, last_click_link = ?, clicks = clicks + 1, "
                            + "clicked_links = case when ? then array_append(clicked_links, ?) else clicked_links end "
                            + "where delivery_id = ?",
                    Timestamp.from(now), click.linkIndex(), first, click.linkIndex(), send.deliveryId());
        LinkClickedEvent event = new LinkClickedEvent(send.deliveryId(), send.contactId(), send.campaignId(),
                                                      send.flowId(), send.nodeId(), send.sentAt(), click.link(),
                                                      click.linkIndex(), click.links(), now, agent, first,
                                                      verdict.machine(), verdict.reason());
        eventBus.publish(new GenericEventMessage<>(UUID.randomUUID().toString(), event,
                                                   CurrentUnitOfWork.correlationData(), now));
        return new EngagementRecorded(send.deliveryId(), click.link(), verdict.machine(), verdict.reason());
    }

    /** The delivery's state row, made if missing and locked until the command's transaction ends. */
    private State lock(String deliveryId) {
        jdbc.update("insert into email_engagement_state (delivery_id) values (?) on conflict (delivery_id) do nothing",
                    deliveryId);
        return jdbc.queryForObject(
                "select first_open_at, last_click_at, last_click_link, clicked_links from email_engagement_state "
                        + "where delivery_id = ? for update",
                (rs, row) -> {
                    Timestamp opened = rs.getTimestamp(1);
                    Timestamp clicked = rs.getTimestamp(2);
                    int lastLink = rs.getInt(3);
                    if (rs.wasNull()) {
                        lastLink = -1;
                    }
                    Array links = rs.getArray(4);
                    int[] clickedLinks = links == null ? new int[0]
                            : Arrays.stream((Integer[]) links.getArray()).mapToInt(Integer::intValue).toArray();
                    return new State(opened == null ? null : opened.toInstant(),
                                     clicked == null ? null : clicked.toInstant(), lastLink,
                                     clickedLinks);
                }, deliveryId);
    }
}
