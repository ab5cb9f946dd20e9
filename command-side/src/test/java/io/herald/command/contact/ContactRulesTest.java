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
