package io.herald.gateway.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loops accept exactly what Spring's regular expressions (copied here as the reference) accept. */
class HeaderChecksTest {

    private static final Pattern SPRING_HEADER = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern SPRING_BEARER = Pattern.compile("^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$",
                                                                 Pattern.CASE_INSENSITIVE);

    @Test
    void headerRule_agreesWithSpringsExpression() {
        int[] interesting = {'a', ' ', '\t', 0x00, 0x1f, 0x7f, 0x85, 0xa0, 'é', 0x0378, 0x1F600, 0xE000, 0xFFFF, 0x10FFFF};
        for (char c = 0; c < 0x100; c++) { // every ASCII and Latin-1 character on its own and inside text
            for (String candidate : new String[] {String.valueOf(c), "ab" + c + "cd"}) {
                assertThat(HeaderChecks.ASSIGNED_AND_NOT_CONTROL.test(candidate)).as("U+%04X", (int) c)
                        .isEqualTo(SPRING_HEADER.matcher(candidate).matches());
            }
        }
        Random random = new Random(7);
        for (int n = 0; n < 100_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(6); i > 0; i--) {
                text.appendCodePoint(random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                                             : random.nextInt(0x2FFFF));
            }
            String candidate = text.toString();
            assertThat(HeaderChecks.ASSIGNED_AND_NOT_CONTROL.test(candidate)).as(candidate.codePoints()
                    .mapToObj(Integer::toHexString).toList().toString())
                    .isEqualTo(SPRING_HEADER.matcher(candidate).matches());
        }
    }

    @Test
    void bearerToken_agreesWithSpringsResolver() {
        BearerTokenResolver ours = HeaderChecks.bearerTokens(new DefaultBearerTokenResolver());
        String alphabet = "aZ9-._~+/= \"%";
        Random random = new Random(11);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder token = new StringBuilder();
            for (int i = random.nextInt(8); i > 0; i--) {
                token.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String header = (random.nextInt(4) == 0 ? "bearer " : "Bearer ") + token;
            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/track");
            request.addHeader("Authorization", header);
            var expected = SPRING_BEARER.matcher(header);
            if (expected.matches()) {
                assertThat(ours.resolve(request)).as(header).isEqualTo(expected.group("token"));
            } else {
                assertThatThrownBy(() -> ours.resolve(request)).as(header).isInstanceOf(OAuth2AuthenticationException.class);
            }
        }
    }

    @Test
    void aTokenAlsoGivenAsParameter_isLeftToSpring() {
        BearerTokenResolver ours = HeaderChecks.bearerTokens(new DefaultBearerTokenResolver());
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/contacts");
        request.addHeader("Authorization", "Bearer abc");
        request.setQueryString("access_token=abc");
        request.addParameter("access_token", "abc");
        // Spring refuses two tokens only when parameters are allowed; by default it ignores the parameter
        assertThat(ours.resolve(request)).isEqualTo(new DefaultBearerTokenResolver().resolve(request));
        MockHttpServletRequest none = new MockHttpServletRequest("GET", "/api/contacts");
        assertThat(ours.resolve(none)).isNull();
    }
}
