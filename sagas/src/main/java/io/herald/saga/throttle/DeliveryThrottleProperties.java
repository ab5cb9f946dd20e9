package io.herald.saga.throttle;

import io.herald.api.campaign.Channel;
import io.herald.saga.delivery.ChannelConcurrency;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code herald.delivery.throttle}: per channel, a send rate in messages per second that holds across
 * all instances (0 or empty: no limit), and how many sends may be in flight at once per instance.
 *
 * @param email       messages per second on the email channel, all instances together (0: no limit)
 * @param sms         the same for SMS
 * @param webhook     the same for webhooks
 * @param concurrency sends in flight at once per channel, per instance
 */
@ConfigurationProperties("herald.delivery.throttle")
public record DeliveryThrottleProperties(Long email, Long sms, Long webhook, Concurrency concurrency)
        implements ChannelConcurrency {

    public DeliveryThrottleProperties {
        for (Long rate : new Long[] {email, sms, webhook}) {
            if (rate != null && rate < 0) {
                throw new IllegalArgumentException("herald.delivery.throttle: a send rate cannot be negative: " + rate);
            }
        }
        concurrency = concurrency == null ? new Concurrency(null, null, null) : concurrency;
    }

    /** No rate limits, default concurrency. */
    public static DeliveryThrottleProperties defaults() {
        return new DeliveryThrottleProperties(null, null, null, null);
    }

    /** Messages per second on {@code channel}, all instances together; 0 for no limit. */
    public long perSecond(Channel channel) {
        Long rate = switch (channel) {
            case EMAIL -> email;
            case SMS -> sms;
            case WEBHOOK -> webhook;
        };
        return rate == null ? 0 : rate;
    }

    @Override
    public int concurrency(Channel channel) {
        return concurrency.of(channel);
    }

    /** Sends in flight at once per channel in one instance; empty: 8 for email and SMS, 32 for webhooks. */
    public record Concurrency(Integer email, Integer sms, Integer webhook) {

        public Concurrency {
            email = orDefault(email, 8);
            sms = orDefault(sms, 8);
            webhook = orDefault(webhook, 32);
        }

        public int of(Channel channel) {
            return switch (channel) {
                case EMAIL -> email;
                case SMS -> sms;
                case WEBHOOK -> webhook;
            };
        }

        private static Integer orDefault(Integer value, int fallback) {
            if (value == null) {
                return fallback;
            }
            if (value < 1) {
                throw new IllegalArgumentException("herald.delivery.throttle.concurrency: at least 1, not " + value);
            }
            return value;
        }
    }
}
