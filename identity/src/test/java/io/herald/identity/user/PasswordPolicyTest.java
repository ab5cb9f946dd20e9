package io.herald.identity.user;

import io.herald.identity.IdentityProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy(new IdentityProperties(null, null, null, null, null));

    @Test
    void aLongUncommonPassword_isAccepted() {
        assertThat(policy.problem("Tidal-Lantern-Quokka-42", "ada@example.com")).isEmpty();
    }

    @Test
    void aPasswordFromTheCommonList_isRefused_evenWithDigitsAndSymbolsAdded() {
        String tooCommon = "is too common; choose a less guessable password";
        assertThat(policy.problem("administrator", "ada@example.com")).contains(tooCommon);
        assertThat(policy.problem("Administrator2025!", "ada@example.com")).contains(tooCommon);
    }

    @Test
    void tooShort_tooLong_orTheEmail_isRefused() {
        assertThat(policy.problem("Quokka-42", "ada@example.com")).contains("must be at least 12 characters");
        assertThat(policy.problem("q".repeat(20) + "é".repeat(30), null)).contains("must be at most 72 bytes");
        assertThat(policy.problem("ada.lovelace@example.com!", "ada.lovelace@example.com"))
                .contains("must not contain the e-mail address");
    }
}
