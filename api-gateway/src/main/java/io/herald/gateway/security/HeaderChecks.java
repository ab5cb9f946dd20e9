package io.herald.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import java.util.function.Predicate;

/**
 * Spring Security's header checks without regular expressions. Its firewall validates every header
 * value each time it is read, and its bearer-token resolver matches the whole token, both with
 * regular expressions; on the single-event tracking endpoint (a ~800-character JWT read several
 * times per request) they were 10 % of the request threads' samples (BENCHMARKS.md). These loops
 * accept exactly what those expressions accept; anything else goes the usual way.
 */
final class HeaderChecks {

    private HeaderChecks() {
    }

    /** Spring's rule for header names and values: assigned characters, no control characters. */
    static final Predicate<String> ASSIGNED_AND_NOT_CONTROL = text -> {
        for (int i = 0; i < text.length(); ) {
            char ascii = text.charAt(i);
            if (ascii < 0x80) { // every ASCII character is assigned; its control characters are 0x00-0x1F and 0x7F
                if (ascii < 0x20 || ascii == 0x7F) {
                    return false;
                }
                i++;
                continue;
            }
            int c = text.codePointAt(i);
            if (!Character.isDefined(c) || Character.getType(c) == Character.CONTROL) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    };

    /** Spring's strict firewall with the header rule above instead of its regular expression. */
    static StrictHttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(ASSIGNED_AND_NOT_CONTROL);
        firewall.setAllowedHeaderValues(ASSIGNED_AND_NOT_CONTROL);
        return firewall;
    }

    /**
     * The token of a well-formed {@code Authorization: Bearer <token>} header (RFC 6750's b64token),
     * read without a regular expression; a request with any other shape (lower-case scheme,
     * malformed token, an {@code access_token} parameter) is left to {@code fallback}, which answers
     * or refuses it as Spring does.
     */
    static BearerTokenResolver bearerTokens(BearerTokenResolver fallback) {
        return request -> {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (header != null && header.startsWith("Bearer ") && isB64Token(header, 7)
                    && noTokenParameter(request)) {
                return header.substring(7);
            }
            return fallback.resolve(request);
        };
    }

    /** {@code [A-Za-z0-9-._~+/]+=*} from {@code from} to the end. */
    static boolean isB64Token(String text, int from) {
        int i = from;
        while (i < text.length() && isTokenChar(text.charAt(i))) {
            i++;
        }
        if (i == from) {
            return false;
        }
        while (i < text.length() && text.charAt(i) == '=') {
            i++;
        }
        return i == text.length();
    }

    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    private static boolean noTokenParameter(HttpServletRequest request) {
        String query = request.getQueryString();
        return (query == null || !query.contains("access_token"))
                && !"application/x-www-form-urlencoded".equalsIgnoreCase(request.getContentType());
    }
}
