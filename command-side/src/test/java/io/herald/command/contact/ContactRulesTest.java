package io.herald.command.contact;

import io.herald.api.common.DomainException;
import io.herald.api.contact.AttributeValues;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContactRulesTest {

    @Test
    void email_isTrimmedLowerCasedWithAsciiDomain() {
        assertThat(ContactRules.email("  Ada.Lovelace+news@Example.COM ", "email")).isEqualTo("ada.lovelace+news@example.com");
        assertThat(ContactRules.email("jo@bücher.de", "email")).isEqualTo("jo@xn--bcher-kva.de");
    }

    @Test
    void email_thatNoMailServerWouldTake_isRefused() {
        for (String bad : List.of("", "plain", "@example.com", "a@", "a@b", "a@b.c", "a..b@example.com", ".a@example.com",
                                  "a@-example.com", "a b@example.com", "a@example..com")) {
            assertThatThrownBy(() -> ContactRules.email(bad, "email")).as(bad)
                    .isInstanceOf(DomainException.class)
                    .extracting(e -> ((DomainException) e).code()).isEqualTo("contact.email.invalid");
        }
    }

    @Test
    void email_edgesOfTheLocalPartAndTheDomain() {
        for (String bad : List.of("a.@example.com", "a@example.c0m", "a@exa_mple.com", "a@example.com.",
                                  "a@example-.com", "a@" + "l".repeat(64) + ".com", "a@example.xn--", "é@example.com",
                                  "a\"b@example.com", "a@example.c")) {
            assertThatThrownBy(() -> ContactRules.email(bad, "email")).as(bad).isInstanceOf(DomainException.class);
        }
        assertThat(ContactRules.email("o'neil+x_y{z}@Sub-1.Example.XN--P1AI", "email"))
                .isEqualTo("o'neil+x_y{z}@sub-1.example.xn--p1ai");
        assertThat(ContactRules.email("a@" + "l".repeat(63) + ".com", "email")).isEqualTo("a@" + "l".repeat(63) + ".com");
    }

    /** The character checks accept exactly what the grammar's regular expressions (kept here as the reference) accept. */
    @Test
    void email_agreesWithTheRegularExpressionsOfTheGrammar() {
        java.util.regex.Pattern local = java.util.regex.Pattern.compile(
                "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$");
        java.util.regex.Pattern label = java.util.regex.Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
        java.util.regex.Pattern tld = java.util.regex.Pattern.compile("^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$");
        String alphabet = "aZ09.-_+@x'n!";
        java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(14); i >= 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = text.toString();
            int at = candidate.lastIndexOf('@');
            boolean expected = at > 0 && at < candidate.length() - 1;
            if (expected) {
                String domain = candidate.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
                String[] labels = domain.split("\\.", -1);
                expected = local.matcher(candidate.substring(0, at)).matches() && labels.length >= 2
                        && tld.matcher(labels[labels.length - 1]).matches()
                        && java.util.Arrays.stream(labels).allMatch(l -> label.matcher(l).matches());
            }
            boolean accepted;
            try {
                ContactRules.email(candidate, "email");
                accepted = true;
            } catch (DomainException e) {
                accepted = false;
            }
            assertThat(accepted).as(candidate).isEqualTo(expected);
        }
    }

    @Test
    void phone_isE164_andNeedsACountryCodeUnlessARegionIsSet() {
        assertThat(ContactRules.phone("+33 6 12 34 56 78", null, "phone")).isEqualTo("+33612345678");
        assertThat(ContactRules.phone("06 12 34 56 78", "FR", "phone")).isEqualTo("+33612345678");
        assertThatThrownBy(() -> ContactRules.phone("06 12 34 56 78", null, "phone")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> ContactRules.phone("+33 1", null, "phone")).isInstanceOf(DomainException.class);
    }

    @Test
    void timeZoneAndLocale_areCanonical() {
        assertThat(ContactRules.timeZone(" Europe/Paris ", "timeZone")).isEqualTo("Europe/Paris");
        assertThat(ContactRules.locale("pt_br", "locale")).isEqualTo("pt-BR");
        assertThatThrownBy(() -> ContactRules.timeZone("Mars/Base", "timeZone")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> ContactRules.locale("123", "locale")).isInstanceOf(DomainException.class);
    }

    @Test
    void attributes_dateTimesGoToUtc_datesStay_nestedObjectsAreRefused() {
        Map<String, Object> out = AttributeValues.normalize(Map.of("signup", "2024-05-01T10:00:00+02:00",
                                                                   "birthday", "1990-02-03", "tags", List.of("a", 1)),
                                                            "attributes");
        assertThat(out).containsEntry("signup", "2024-05-01T08:00:00.000Z").containsEntry("birthday", "1990-02-03");
        assertThat(AttributeValues.canonicalDate("2024-02-30")).isNull();
        assertThat(AttributeValues.canonicalDate("2024-05-01T10:00:00.5Z")).isEqualTo("2024-05-01T10:00:00.500Z");
        assertThatThrownBy(() -> AttributeValues.normalize(Map.of("a", Map.of("b", 1)), "attributes"))
                .isInstanceOf(DomainException.class).hasMessageContaining("attributes.a");
        assertThatThrownBy(() -> AttributeValues.normalize(Map.of("a", List.of(List.of(1))), "attributes"))
                .isInstanceOf(DomainException.class);
    }

    @Test
    void importCells_areReadByType() {
        assertThat(ImportRowReader.convert("42", io.herald.api.contact.AttributeType.NUMBER)).isEqualTo(42L);
        assertThat(ImportRowReader.convert("-1.50", io.herald.api.contact.AttributeType.NUMBER))
                .isEqualTo(new java.math.BigDecimal("-1.50"));
        assertThat(ImportRowReader.convert("1e3", io.herald.api.contact.AttributeType.NUMBER)).isEqualTo(1000L);
        assertThat(ImportRowReader.convert("forty", io.herald.api.contact.AttributeType.NUMBER)).isNull();
        assertThat(ImportRowReader.convert("Yes", io.herald.api.contact.AttributeType.BOOLEAN)).isEqualTo(true);
        assertThat(ImportRowReader.convert("a| b ||c", io.herald.api.contact.AttributeType.LIST)).isEqualTo(List.of("a", "b", "c"));
        assertThat(ImportRowReader.convert("2024-13-01", io.herald.api.contact.AttributeType.DATE)).isNull();
    }
}
