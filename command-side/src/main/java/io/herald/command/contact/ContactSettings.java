package io.herald.command.contact;

import io.herald.command.CommandSideProperties;

import java.time.Duration;

/**
 * Settings of the audience context ({@code herald.contacts.*}, {@code herald.tracking.*}), given
 * to aggregates and handlers as a parameter; made from {@link CommandSideProperties}.
 */
public class ContactSettings {

    private final String defaultPhoneRegion;
    private final boolean createUnknownContacts;
    private final Duration maxFutureSkew;
    private final Duration lateAfter;

    public ContactSettings(String defaultPhoneRegion, boolean createUnknownContacts, Duration maxFutureSkew,
                           Duration lateAfter) {
        this.defaultPhoneRegion = defaultPhoneRegion == null || defaultPhoneRegion.isBlank()
                ? null : defaultPhoneRegion.strip().toUpperCase(java.util.Locale.ROOT);
        this.createUnknownContacts = createUnknownContacts;
        this.maxFutureSkew = maxFutureSkew;
        this.lateAfter = lateAfter;
    }

    public static ContactSettings of(CommandSideProperties properties) {
        return new ContactSettings(properties.contacts().defaultPhoneRegion(),
                                   properties.tracking().createUnknownContacts(),
                                   properties.tracking().maxFutureSkew(), properties.tracking().lateAfter());
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
