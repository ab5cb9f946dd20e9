package io.herald.saga.delivery;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code herald.delivery.*}: how the send workers work. Every key is in README.md with its variable.
 *
 * @param worker   this instance's delivery worker
 * @param retry    transient failures
 * @param email    the SMTP channel (server settings are Spring's {@code spring.mail.*})
 * @param webhook  the webhook channel
 * @param sms      the SMS provider (a Twilio-style HTTP API)
 * @param unsubscribe the unsubscribe links put in messages
 * @param allowPrivateTargets whether webhooks and the SMS provider may be on private, loopback or
 *                            link-local addresses (off: such URLs fail, SSRF protection)
 */
@ConfigurationProperties("herald.delivery")
public record DeliveryProperties(Worker worker, Retry retry, Email email, Webhook webhook, Sms sms,
                                 Unsubscribe unsubscribe, boolean allowPrivateTargets) {

    public DeliveryProperties {
        worker = worker == null ? new Worker(true, 500, 10_000, 2, Duration.ofMillis(250), Duration.ofSeconds(2),
                                             Duration.ofSeconds(10), Worker.MAX_IN_FLIGHT) : worker;
        retry = retry == null ? new Retry(5, Duration.ofSeconds(30), Duration.ofHours(1)) : retry;
        email = email == null ? new Email(null) : email;
        webhook = webhook == null ? new Webhook(null, Duration.ofSeconds(5), Duration.ofSeconds(10)) : webhook;
        sms = sms == null ? new Sms(null, null, null, null, Duration.ofSeconds(10)) : sms;
        unsubscribe = unsubscribe == null ? new Unsubscribe(null) : unsubscribe;
    }

    /**
     * @param enabled        run a worker in this instance (instances with only the API role set false)
     * @param batchSize      recipients claimed per batch
     * @param freezePageSize recipients written down per transaction when a campaign's audience is frozen
     * @param senders        batches worked on at once
     * @param pollInterval   how often an idle worker looks for work and re-reads pause/cancel
     * @param heartbeat      how often the worker renews its lease
     * @param lease          a worker silent this long is dead: its sends under way are settled by another
     * @param maxInFlight    recipients this instance may have under way on one channel at once (sent, their
     *                       outcome not yet written down): what a crash of the instance can leave uncertain
     *                       (webhooks sent again, e-mail and SMS UNKNOWN); shared by the senders
     */
    public record Worker(boolean enabled, int batchSize, int freezePageSize, int senders, Duration pollInterval,
                         Duration heartbeat, Duration lease, int maxInFlight) {

        /** The default bound of {@link #maxInFlight}. */
        public static final int MAX_IN_FLIGHT = 64;

        public Worker {
            if (maxInFlight <= 0) {
                maxInFlight = MAX_IN_FLIGHT;
            }
        }

        /** The most recipients one sender sends at once: its share of {@link #maxInFlight}. */
        public int groupPerSender() {
            return Math.max(1, maxInFlight / Math.max(1, senders));
        }
    }

    /**
     * @param maxAttempts attempts in all (first send included) before a transient failure is final
     * @param initialBackoff delay before the first retry; doubled for each further one, with jitter
     * @param maxBackoff  the longest delay
     */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    }

    /** @param from the sender address; empty: {@code spring.mail.username} */
    public record Email(String from) {
    }

    /** @param signingSecret HMAC key of {@code Herald-Signature}; empty: generated once, kept in the database */
    public record Webhook(String signingSecret, Duration connectTimeout, Duration timeout) {
    }

    /** @param baseUrl the provider's API root; empty: the SMS channel is not configured */
    public record Sms(String baseUrl, String accountSid, String authToken, String from, Duration timeout) {
    }

    /**
     * @param secret HMAC key of unsubscribe links (at least 32 characters, checked when the links are
     *               made); empty: generated once, kept in the database
     */
    public record Unsubscribe(String secret) {

        public Unsubscribe {
            secret = secret == null ? "" : secret;
        }
    }
}
