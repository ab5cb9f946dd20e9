package io.herald.command.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.herald.api.common.DomainException;

import java.net.IDN;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation and normalisation of a contact's identifying and addressing fields. */
public final class ContactRules {

    /** The characters RFC 5322 allows in an atom besides letters and digits. */
    private static final String ATOM_SPECIALS = "!#$%&'*+/=?^_`{|}~-";
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private ContactRules() {
    }

    /**
     * An email address, trimmed and lower-cased, its domain in ASCII (IDN). Refuses what no mail
     * server would accept: no {@code @}, empty or over-long parts, bad characters, a domain
     * without a dot or with a bad label. Checked character by character, without regular
     * expressions: an import validates a million of them (the regular expressions were 12 % of the
     * import writer's time, BENCHMARKS.md).
     */
    public static String email(String raw, String field) {
        if (raw == null) {
            return null;
        }
        String text = raw.strip();
        int at = text.lastIndexOf('@');
        if (text.isEmpty() || text.length() > 254 || at <= 0 || at == text.length() - 1) {
            throw invalidEmail(field);
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        if (!isAscii(domain)) {
            try {
                domain = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw invalidEmail(field);
            }
        }
        domain = domain.toLowerCase(Locale.ROOT);
        if (local.length() > 64 || !isDotAtom(local) || domain.length() > 253) {
            throw invalidEmail(field);
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2 || !isTopLevelLabel(labels[labels.length - 1])) {
            throw invalidEmail(field);
        }
        for (String label : labels) {
            if (!isHostLabel(label)) {
                throw invalidEmail(field);
            }
        }
        return local.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5322 dot-atom: runs of atom characters joined by single dots. */
    private static boolean isDotAtom(String text) {
        boolean afterDot = true; // a dot first is refused like a dot after a dot
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (afterDot) {
                    return false;
                }
                afterDot = true;
            } else if (isLetterOrDigit(c) || ATOM_SPECIALS.indexOf(c) >= 0) {
                afterDot = false;
            } else {
                return false;
            }
        }
        return !afterDot;
    }

    /** A host name label (lower case): 1–63 letters, digits and hyphens, no hyphen first or last. */
    private static boolean isHostLabel(String label) {
        int n = label.length();
        if (n == 0 || n > 63 || label.charAt(0) == '-' || label.charAt(n - 1) == '-') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = label.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A top-level domain: 2–63 letters, or an internationalised one in its ASCII form ({@code xn--…}). */
    private static boolean isTopLevelLabel(String label) {
        if (label.startsWith("xn--")) {
            return label.length() > 4 && label.length() <= 63;
        }
        if (label.length() < 2 || label.length() > 63) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static DomainException invalidEmail(String field) {
        return DomainException.invalid(field, "contact.email.invalid", field + " is not a valid email address");
    }

    /** A phone number in E.164 ({@code +33612345678}); without a country code only with a default region. */
    public static String phone(String raw, String defaultRegion, String field) {
        if (raw == null) {
            return null;
        }
        String text = raw.strip();
        try {
            if (text.isEmpty() || text.length() > 64) {
                throw new NumberParseException(NumberParseException.ErrorType.NOT_A_NUMBER, "length");
            }
            Phonenumber.PhoneNumber number = PHONES.parse(text, defaultRegion == null ? "ZZ" : defaultRegion);
            if (!PHONES.isValidNumber(number)) {
                throw new NumberParseException(NumberParseException.ErrorType.NOT_A_NUMBER, "invalid");
            }
            return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw DomainException.invalid(field, "contact.phone.invalid", field
                    + " is not a valid phone number (international format, e.g. +33612345678)");
        }
    }

    /** An IANA time zone id such as {@code Europe/Paris}. */
    public static String timeZone(String raw, String field) {
        if (raw == null) {
            return null;
        }
        try {
            return ZoneId.of(raw.strip()).getId();
        } catch (DateTimeException e) {
            throw DomainException.invalid(field, "contact.time-zone.invalid",
                                          field + " must be an IANA time zone such as Europe/Paris");
        }
    }

    /** A BCP 47 language tag such as {@code fr-FR}, in its canonical case. */
    public static String locale(String raw, String field) {
        if (raw == null) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(raw.strip().replace('_', '-')).build();
            if (locale.getLanguage().isEmpty()) {
                throw new IllformedLocaleException("no language");
            }
            return locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw DomainException.invalid(field, "contact.locale.invalid",
                                          field + " must be a BCP 47 language tag such as fr-FR");
        }
    }

    /** The customer's own user id: 1–255 characters, no control characters, kept as given (trimmed). */
    public static String externalId(String raw, String field) {
        if (raw == null) {
            return null;
        }
        String text = raw.strip();
        if (text.isEmpty() || text.length() > 255 || CONTROL.matcher(text).find()) {
            throw DomainException.invalid(field, "contact.external-id.invalid",
                                          field + " must be 1–255 characters without control characters");
        }
        return text;
    }

    /** A visitor's anonymous id (Segment's {@code anonymousId}): blank is none; at most 200 characters. */
    static String anonymousId(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > MAX_ANONYMOUS_ID) {
            throw DomainException.invalid(field, "tracking.anonymous-id.invalid",
                                          "anonymousId is at most " + MAX_ANONYMOUS_ID + " characters");
        }
        return raw;
    }

    static final int MAX_ANONYMOUS_ID = 200;
}
