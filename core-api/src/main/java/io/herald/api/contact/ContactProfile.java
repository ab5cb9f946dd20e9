package io.herald.api.contact;

/**
 * The identifying and addressing fields of a contact, normalised: email lower-cased (IDN domain in
 * ASCII), phone in E.164, time zone an IANA id, locale a BCP 47 tag. Any may be null, but a
 * contact always has an email or an external id.
 */
public record ContactProfile(String externalId, String email, String phone, String timeZone, String locale) {

    public static final ContactProfile EMPTY = new ContactProfile(null, null, null, null, null);

    public ContactProfile withExternalId(String value) {
        return new ContactProfile(value, email, phone, timeZone, locale);
    }

    public ContactProfile withEmail(String value) {
        return new ContactProfile(externalId, value, phone, timeZone, locale);
    }

    public ContactProfile withPhone(String value) {
        return new ContactProfile(externalId, email, value, timeZone, locale);
    }

    public ContactProfile withTimeZone(String value) {
        return new ContactProfile(externalId, email, phone, value, locale);
    }

    public ContactProfile withLocale(String value) {
        return new ContactProfile(externalId, email, phone, timeZone, value);
    }

    public boolean hasIdentity() {
        return externalId != null || email != null;
    }
}
