package io.herald.saga.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * Settings of outgoing webhook subscriptions ({@code herald.webhooks.*}, README "Configuration").
 *
 * @param senderEnabled              whether this instance sends queued messages (every instance on the database shares them)
 * @param pollInterval               how often an idle sender looks for due messages (messages this instance queues wake it at once)
 * @param batchSize                  messages of one subscription claimed at once (at most two batches: the next is claimed while one goes out)
 * @param concurrencyPerSubscription requests in flight at once to one subscription's endpoint (per instance)
 * @param maxSubscriptionsInFlight   subscriptions worked on at once by an instance (each on its own virtual thread)
 * @param connectTimeout             connect timeout of a request
 * @param timeout                    how long an endpoint has to answer
 * @param lease                      how long a claim holds a message: an instance silent this long has died, its claims are sent again
 * @param retryDelays                waits before the 2nd, 3rd, ... attempt; after the last, the message is dead-lettered
 * @param disableAfter               a subscription whose attempts all failed for this long is disabled
 * @param previousSecretValidity     how long the previous secret still signs after a rotation
 * @param secretKey                  AES key (base64 of 16, 24 or 32 bytes) encrypting the signing secrets in the database;
 *                                   empty: generated once and kept in {@code herald_secret}
 * @param failureRateMinSends        finished sends of a campaign before its failure rate is compared with a subscription's threshold
 * @param responseBodyBytes          how much of each answer is kept with the attempt
 */
@ConfigurationProperties("herald.webhooks")
public record WebhookProperties(Boolean senderEnabled, Duration pollInterval, Integer batchSize,
                                Integer concurrencyPerSubscription, Integer maxSubscriptionsInFlight,
                                Duration connectTimeout, Duration timeout, Duration lease, List<Duration> retryDelays,
                                Duration disableAfter, Duration previousSecretValidity, String secretKey,
                                Integer failureRateMinSends, Integer responseBodyBytes) {

    public static final List<Duration> DEFAULT_RETRY_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));

    public WebhookProperties {
        senderEnabled = senderEnabled == null || senderEnabled;
        pollInterval = positive(pollInterval, Duration.ofMillis(200), "poll-interval");
        batchSize = atLeastOne(batchSize, 250, "batch-size");
        concurrencyPerSubscription = atLeastOne(concurrencyPerSubscription, 16, "concurrency-per-subscription");
        maxSubscriptionsInFlight = atLeastOne(maxSubscriptionsInFlight, 64, "max-subscriptions-in-flight");
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "connect-timeout");
        timeout = positive(timeout, Duration.ofSeconds(10), "timeout");
        lease = positive(lease, Duration.ofSeconds(60), "lease");
        retryDelays = retryDelays == null ? DEFAULT_RETRY_DELAYS : List.copyOf(retryDelays);
        retryDelays.forEach(d -> positive(d, null, "retry-delays"));
        disableAfter = positive(disableAfter, Duration.ofDays(5), "disable-after");
        previousSecretValidity = positive(previousSecretValidity, Duration.ofHours(24), "previous-secret-validity");
        secretKey = secretKey == null || secretKey.isBlank() ? null : secretKey.strip();
        failureRateMinSends = atLeastOne(failureRateMinSends, 20, "failure-rate-min-sends");
        responseBodyBytes = atLeastOne(responseBodyBytes, 256, "response-body-bytes");
        if (responseBodyBytes > 512) {
            throw new IllegalArgumentException("herald.webhooks.response-body-bytes: at most 512");
        }
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        Duration d = value == null ? fallback : value;
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("herald.webhooks." + name + ": longer than 0");
        }
        return d;
    }

    private static int atLeastOne(Integer value, int fallback, String name) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw new IllegalArgumentException("herald.webhooks." + name + ": at least 1");
        }
        return v;
    }
}
