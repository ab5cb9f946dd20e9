package io.herald.saga.feedback;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code herald.feedback.*}: bounces and complaints from providers' event webhooks.
 *
 * @param ses     Amazon SES through SNS ({@code POST /feedback/ses})
 * @param mailgun Mailgun's event webhooks ({@code POST /feedback/mailgun})
 */
@ConfigurationProperties("herald.feedback")
public record FeedbackProperties(Ses ses, Mailgun mailgun) {

    public FeedbackProperties {
        ses = ses == null ? new Ses(null, null, false, null, null) : ses;
        mailgun = mailgun == null ? new Mailgun(null, null) : mailgun;
    }

    /**
     * @param topicArns               the SNS topics whose messages are accepted ({@code HERALD_FEEDBACK_SES_TOPIC_ARNS},
     *                                comma-separated); empty: any topic (anyone can make a topic and subscribe
     *                                this endpoint to it, so set it in production)
     * @param certificateHostPattern  the hosts (with {@code :port} when the URL has one) SNS's {@code SigningCertURL}
     *                                and {@code SubscribeURL} may point at (a regular expression matched whole);
     *                                default {@code sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?}
     * @param allowHttp               accept {@code http://} certificate and subscribe URLs (tests against a local
     *                                server only); default false: https only
     * @param fetchTimeout            connect and read timeout of certificate and confirmation requests (default 5 s)
     * @param certificateCacheSize    signing certificates kept in memory (default 32)
     */
    public record Ses(List<String> topicArns, String certificateHostPattern, boolean allowHttp, Duration fetchTimeout,
                      Integer certificateCacheSize) {

        public static final String DEFAULT_HOST_PATTERN = "sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?";

        public Ses {
            topicArns = topicArns == null ? List.of()
                    : topicArns.stream().filter(arn -> arn != null && !arn.isBlank()).map(String::strip).toList();
            certificateHostPattern = certificateHostPattern == null || certificateHostPattern.isBlank()
                    ? DEFAULT_HOST_PATTERN : certificateHostPattern;
            Pattern.compile(certificateHostPattern); // refused at start when it is not a regular expression
            fetchTimeout = fetchTimeout == null ? Duration.ofSeconds(5) : fetchTimeout;
            certificateCacheSize = certificateCacheSize == null ? 32 : Math.max(1, certificateCacheSize);
        }
    }

    /**
     * @param signingKey the HTTP webhook signing key of the Mailgun account
     *                   ({@code HERALD_FEEDBACK_MAILGUN_SIGNING_KEY}); empty: the endpoint answers 404
     * @param maxAge     signatures older (or further in the future) than this are refused (default 5 min), and
     *                   tokens are remembered this long to refuse replays
     */
    public record Mailgun(String signingKey, Duration maxAge) {

        public Mailgun {
            signingKey = signingKey == null || signingKey.isBlank() ? null : signingKey.strip();
            maxAge = maxAge == null ? Duration.ofMinutes(5) : maxAge;
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("herald.feedback.mailgun.max-age must be positive");
            }
        }

        @Override
        public String toString() {
            return "Mailgun[signingKey=" + (signingKey == null ? "unset" : "***") + ", maxAge=" + maxAge + "]";
        }
    }
}
