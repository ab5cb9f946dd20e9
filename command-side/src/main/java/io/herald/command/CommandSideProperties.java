package io.herald.command;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

import static io.herald.eventstore.SettingChecks.atLeastOne;
import static io.herald.eventstore.SettingChecks.positive;

/**
 * The command side's settings, one record (README, "Configuration"; property names and environment
 * variables as documented there). Values that cannot work are refused at start-up, naming the setting.
 *
 * @param contacts {@code herald.contacts.*}
 * @param tracking {@code herald.tracking.*} (the gateway's group commit settings are the gateway's)
 * @param imports  {@code herald.imports.*} (the upload directory is the gateway's)
 */
@ConfigurationProperties("herald")
public record CommandSideProperties(Contacts contacts, Tracking tracking, Imports imports) {

    public CommandSideProperties {
        contacts = contacts == null ? new Contacts(null) : contacts;
        tracking = tracking == null ? new Tracking(null, null, null, null, null) : tracking;
        imports = imports == null ? new Imports(null, null, null, null, null) : imports;
    }

    /** @param defaultPhoneRegion ISO 3166 region for numbers without a country code; empty: refused */
    public record Contacts(String defaultPhoneRegion) {
    }

    /**
     * @param createUnknownContacts    an event or identify for an unknown userId creates the contact
     * @param maxFutureSkew            timestamps further in the future are refused
     * @param lateAfter                older events are stored and flagged late
     * @param messageIdRetention       how long identify message ids are remembered (&gt; 0)
     * @param messageIdPruningInterval how often older ones are forgotten (&gt; 0)
     */
    public record Tracking(Boolean createUnknownContacts, Duration maxFutureSkew, Duration lateAfter,
                           Duration messageIdRetention, Duration messageIdPruningInterval) {

        public Tracking {
            createUnknownContacts = createUnknownContacts == null || createUnknownContacts;
            maxFutureSkew = maxFutureSkew == null ? Duration.ofMinutes(5) : maxFutureSkew;
            lateAfter = lateAfter == null ? Duration.ofDays(30) : lateAfter;
            messageIdRetention = positive(messageIdRetention, Duration.ofDays(30), "herald.tracking.message-id-retention");
            messageIdPruningInterval = positive(messageIdPruningInterval, Duration.ofHours(1),
                                                "herald.tracking.message-id-pruning-interval");
        }
    }

    /**
     * @param batchSize    rows per transaction (at least 1)
     * @param pollInterval how often an instance looks for imports to take over (&gt; 0)
     * @param concurrency  imports run at once per instance (at least 1)
     * @param heartbeat    how often the import worker renews its lease (&gt; 0, shorter than {@code lease})
     * @param lease        an import worker silent this long is dead: its imports are taken over by another
     *                     worker (or by this instance restarted with the embedded database, at once)
     */
    public record Imports(Integer batchSize, Duration pollInterval, Integer concurrency, Duration heartbeat,
                          Duration lease) {

        public Imports {
            batchSize = atLeastOne(batchSize, 1000, "herald.imports.batch-size");
            pollInterval = positive(pollInterval, Duration.ofSeconds(5), "herald.imports.poll-interval");
            concurrency = atLeastOne(concurrency, 1, "herald.imports.concurrency");
            heartbeat = positive(heartbeat, Duration.ofSeconds(2), "herald.imports.heartbeat");
            lease = positive(lease, Duration.ofSeconds(10), "herald.imports.lease");
            if (heartbeat.compareTo(lease) >= 0) {
                throw new IllegalArgumentException("herald.imports.heartbeat (" + heartbeat + ") must be shorter than "
                                                           + "herald.imports.lease (" + lease + "): a lease renewed "
                                                           + "after it ran out is lost");
            }
        }
    }
}
