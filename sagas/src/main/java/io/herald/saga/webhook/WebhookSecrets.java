package io.herald.saga.webhook;

import io.herald.api.common.DomainException;
import io.herald.api.webhook.IssueWebhookSecretCommand;
import io.herald.api.webhook.RotateWebhookSecretCommand;
import io.herald.api.webhook.WebhookSecretView;
import org.axonframework.commandhandling.CommandHandler;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The subscriptions' signing secrets ({@code webhook_secret}), encrypted with {@link SecretCipher}. A secret is
 * issued before its subscription is created (so the answer to the create can show it, once) and rotated on request:
 * the previous one then keeps signing for {@code herald.webhooks.previous-secret-validity}. Secrets are never logged
 * and never enter the event store.
 */
class WebhookSecrets {

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final Duration previousValidity;
    private final Clock clock;

    WebhookSecrets(DataSource dataSource, SecretCipher cipher, WebhookProperties properties, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.cipher = cipher;
        this.previousValidity = properties.previousSecretValidity();
        this.clock = clock;
    }

    @CommandHandler
    String handle(IssueWebhookSecretCommand command) {
        String secret = WebhookSignature.newSecret();
        int stored = jdbc.update("insert into webhook_secret (subscription_id, secret, created_at) values (?, ?, ?) "
                                         + "on conflict (subscription_id) do nothing",
                                 command.subscriptionId(), seal(secret, command.subscriptionId()),
                                 Timestamp.from(clock.instant()));
        if (stored == 0) {
            throw new DomainException(DomainException.Kind.CONFLICT, "webhook.already-exists",
                                      "A webhook subscription " + command.subscriptionId() + " exists");
        }
        return secret;
    }

    @CommandHandler
    WebhookSecretView handle(RotateWebhookSecretCommand command) {
        String secret = WebhookSignature.newSecret();
        Instant now = clock.instant();
        Instant expires = now.plus(previousValidity);
        // the previous secret is the current one; a previous one still valid from an earlier rotation is dropped
        int rotated = jdbc.update("update webhook_secret set previous_secret = secret, previous_expires_at = ?, "
                                          + "secret = ?, created_at = ? where subscription_id = ?",
                                  Timestamp.from(expires), seal(secret, command.subscriptionId()), Timestamp.from(now),
                                  command.subscriptionId());
        if (rotated == 0) {
            throw notFound(command.subscriptionId());
        }
        return new WebhookSecretView(secret, expires);
    }

    /** The keys that sign now: the current secret's, then the previous one's while it is valid. Empty when none. */
    List<byte[]> keys(String subscriptionId) {
        List<Map<String, Object>> rows = jdbc.queryForList("select secret, previous_secret, previous_expires_at "
                                                                   + "from webhook_secret where subscription_id = ?",
                                                           subscriptionId);
        List<byte[]> keys = new ArrayList<>(2);
        if (rows.isEmpty()) {
            return keys;
        }
        Map<String, Object> row = rows.get(0);
        keys.add(WebhookSignature.keyOf(open((byte[]) row.get("secret"), subscriptionId)));
        Timestamp expires = (Timestamp) row.get("previous_expires_at");
        if (row.get("previous_secret") != null && expires != null && expires.toInstant().isAfter(clock.instant())) {
            keys.add(WebhookSignature.keyOf(open((byte[]) row.get("previous_secret"), subscriptionId)));
        }
        return keys;
    }

    boolean exists(String subscriptionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from webhook_secret "
                                                               + "where subscription_id = ?)", Boolean.class,
                                                       subscriptionId));
    }

    void delete(String subscriptionId) {
        jdbc.update("delete from webhook_secret where subscription_id = ?", subscriptionId);
    }

    static DomainException notFound(String subscriptionId) {
        return new DomainException(DomainException.Kind.NOT_FOUND, "webhook.not-found",
                                   "No webhook subscription " + subscriptionId);
    }

    private byte[] seal(String secret, String subscriptionId) {
        return cipher.encrypt(secret.getBytes(StandardCharsets.UTF_8), subscriptionId);
    }

    private String open(byte[] sealed, String subscriptionId) {
        return new String(cipher.decrypt(sealed, subscriptionId), StandardCharsets.UTF_8);
    }
}
