package io.herald.gateway.web;

import io.herald.api.common.DomainException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of domain refusal answers its one HTTP status, as problem+json with the refusal's code. */
class ApiExceptionHandlerTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/auth/login");

    private ResponseEntity<Object> answer(DomainException e) {
        return handler.domain(e, request);
    }

    @Test
    void everyKind_hasItsStatus() {
        Map<DomainException.Kind, Integer> statuses = Map.of(
                DomainException.Kind.INVALID, 400, DomainException.Kind.UNAUTHENTICATED, 401,
                DomainException.Kind.FORBIDDEN, 403, DomainException.Kind.NOT_FOUND, 404,
                DomainException.Kind.CONFLICT, 409, DomainException.Kind.UNPROCESSABLE, 422,
                DomainException.Kind.THROTTLED, 429);
        assertThat(statuses).containsOnlyKeys(DomainException.Kind.values());
        statuses.forEach((kind, status) -> {
            ResponseEntity<Object> response = answer(new DomainException(kind, "some.code", "Refused"));
            assertThat(response.getStatusCode().value()).as(kind.name()).isEqualTo(status);
            assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            ProblemDetail problem = (ProblemDetail) response.getBody();
            assertThat(problem.getProperties()).containsEntry("code", "some.code");
            assertThat(problem.getDetail()).isEqualTo("Refused");
            assertThat(response.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
        });
    }

    @Test
    void throttled_saysWhenToRetry_inTheHeaderAndTheBody() {
        ResponseEntity<Object> response = answer(new DomainException(
                DomainException.Kind.THROTTLED, "auth.too-many-failures", "Too many failed sign-ins; try again later",
                null, Map.of(DomainException.RETRY_AFTER_SECONDS, 42L)));

        assertThat(response.getStatusCode().value()).isEqualTo(429);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("42");
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(((ProblemDetail) response.getBody()).getProperties()).containsEntry("retryAfterSeconds", 42L);
    }
}
