package io.herald.command.contact;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Settings of the audience context ({@code herald.contacts.*}, {@code herald.tracking.*}), given
 * to aggregates and handlers as a parameter.
 */
@Component
public class ContactSettings {

    private final String defaultPhoneRegion;
    private final boolean createUnknownContacts;
    private final Duration maxFutureSkew;
    private final Duration lateAfter;

    public ContactSettings(@Value("${herald.contacts.default-phone-region:}") String defaultPhoneRegion,
                           @Value("${herald.tracking.create-unknown-contacts:true}") boolean createUnknownContacts,
                           @Value("${herald.tracking.max-future-skew:5m}") Duration maxFutureSkew,
                           @Value("${herald.tracking.late-after:30d}") Duration lateAfter) {
        this.defaultPhoneRegion = defaultPhoneRegion == null || defaultPhoneRegion.isBlank()
                ? null : defaultPhoneRegion.strip().toUpperCase(java.util.Locale.ROOT);
        this.createUnknownContacts = createUnknownContacts;
        this.maxFutureSkew = maxFutureSkew;
        this.lateAfter = lateAfter;
    }

    public static ContactSettings defaults() {
        return new ContactSettings(null, true, Duration.ofMinutes(5), Duration.ofDays(30));
    }

    /** ISO 3166 region for phone numbers written without a country code; null: such numbers are refused. */
    public String defaultPhoneRegion() {
        return defaultPhoneRegion;
    }

    public boolean createUnknownContacts() {
        return createUnknownContacts;
    }

    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    public Duration lateAfter() {
        return lateAfter;
    }
}
