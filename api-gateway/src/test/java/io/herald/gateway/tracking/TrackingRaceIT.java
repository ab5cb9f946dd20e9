package io.herald.gateway.tracking;

import io.herald.command.contact.TrackedEventIds;
import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.ApiClient.Response;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An SDK's retry racing its original: every message id is sent twice at the same moment, by two
 * senders that each keep several single-event requests in flight (so the twins land in different
 * group commits written side by side). Every request must be answered 200, exactly one of each pair
 * ACCEPTED, and exactly one event stored per message id.
 */
class TrackingRaceIT extends IntegrationTest {

    private static final int MESSAGES = 2_000;
    private static final int IN_FLIGHT_PER_SENDER = 8;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void sameMessageIdSentTwiceAtOnce_manyTimesUnderLoad_onlyTwoHundreds_andOneEventEach() throws Exception {
        ApiClient api = TestAuth.asAdmin(new ApiClient(port));
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> messageIds = new ArrayList<>(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            messageIds.add("race-" + run + "-" + i);
        }
        Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(2 * IN_FLIGHT_PER_SENDER);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int sender = 0; sender < 2; sender++) {
                for (int lane = 0; lane < IN_FLIGHT_PER_SENDER; lane++) {
                    int first = lane;
                    work.add(senders.submit(() -> {
                        start.await();
                        // both senders walk the same ids in the same order: the twins go out together
                        for (int i = first; i < MESSAGES; i += IN_FLIGHT_PER_SENDER) {
                            String messageId = messageIds.get(i);
                            Response response = api.post("/api/track", """
                                    {"userId":"racer-%s-%d","event":"Retried","messageId":"%s"}"""
                                    .formatted(run, i % 50, messageId));
                            if (response.status() != 200) {
                                failures.add(messageId + " -> " + response);
                                continue;
                            }
                            String status = response.json().get("status").asText();
                            if ("ACCEPTED".equals(status)) {
                                accepted.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
                            } else if (!"DUPLICATE".equals(status)) {
                                failures.add(messageId + " -> " + status);
                            }
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }

        assertThat(failures).as("requests not answered 200 ACCEPTED/DUPLICATE").isEmpty();
        assertThat(accepted).hasSize(MESSAGES);
        assertThat(accepted.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        String[] eventIds = messageIds.stream().map(TrackedEventIds::of).toArray(String[]::new);
        Long stored = jdbc.queryForObject("select count(*) from domain_event_entry where event_identifier = any(?)",
                                          Long.class, (Object) eventIds);
        assertThat(stored).isEqualTo(MESSAGES);
        Long projected = jdbc.queryForObject("select count(*) from tracked_event where event_id = any(?::uuid[])",
                                             Long.class, (Object) eventIds);
        assertThat(projected).isEqualTo(MESSAGES);
    }
}
