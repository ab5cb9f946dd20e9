package io.herald.gateway.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Builds Herald's RFC 9457 problem documents: a stable {@code code} (also the last part of
 * {@code type}), the correlation id, and for invalid input the list of failing fields.
 */
public final class ApiProblem {

    public static final String TYPE_PREFIX = "urn:herald:problem:";

    private ApiProblem() {
    }

    /** One failing input field: its path in the request ({@code content.subject}) and what is wrong. */
    public record FieldError(String field, String message) {
    }

    public static ProblemDetail of(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + code));
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("code", code);
        return problem;
    }

    public static ProblemDetail invalid(String code, String detail, List<FieldError> errors) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, code, detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    public static ProblemDetail with(ProblemDetail problem, Map<String, Object> properties) {
        properties.forEach(problem::setProperty);
        return problem;
    }
}
