package io.herald.gateway.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.herald.gateway.web.BodySizeLimitFilter;
import io.herald.gateway.web.BufferedBodyRequest;
import io.herald.gateway.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Segment's HTTP API also takes the write key in the body ({@code "writeKey": "…"}), and that is
 * the only place Segment's Java library sends it. For a {@code POST /v1/…} that carries no
 * credentials in its headers, this reads the body (within the body limit, decompressed when gzip),
 * hands the top-level {@code writeKey} to {@link ApiKeyAuthenticationFilter} as the presented API
 * key, and serves the body again to the controller. Requests with an {@code Authorization} or
 * {@code X-API-Key} header are passed on unread.
 */
final class WriteKeyInBodyFilter extends OncePerRequestFilter {

    /** Request attribute holding the write key found in the body. */
    static final String ATTRIBUTE = WriteKeyInBodyFilter.class.getName() + ".writeKey";

    private static final RequestMatcher SEGMENT_API =
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/v1/**");
    private static final JsonFactory JSON = new JsonFactory();

    private final ProblemWriter problems;

    WriteKeyInBodyFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getHeader(ApiKeyAuthenticationFilter.HEADER) != null
                || !SEGMENT_API.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (BodySizeLimitFilter.UnreadableBodyException unreadable) {
            problems.write(request, response, unreadable.status(), unreadable.code(), unreadable.getMessage(),
                           unreadable.properties());
            return;
        }
        BufferedBodyRequest buffered = new BufferedBodyRequest(request, body);
        String writeKey = writeKey(body);
        if (writeKey != null) {
            buffered.setAttribute(ATTRIBUTE, writeKey);
        }
        chain.doFilter(buffered, response);
    }

    /** The top-level {@code writeKey} string of a JSON object, or null (also when the body is not JSON). */
    static String writeKey(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("writeKey".equals(name) && value == JsonToken.VALUE_STRING) {
                    String key = parser.getText().strip();
                    return key.isEmpty() ? null : key;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException notJson) {
            return null; // the controller answers the malformed body, once the caller is known
        }
    }
}
