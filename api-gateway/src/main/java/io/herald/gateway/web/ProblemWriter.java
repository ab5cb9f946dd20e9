package io.herald.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Writes a problem+json response from a servlet filter (outside Spring MVC's exception handling). */
@Component
public class ProblemWriter {

    private final ObjectMapper objectMapper;

    public ProblemWriter(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
                      String detail, Map<String, Object> properties) throws IOException {
        ProblemDetail problem = ApiProblem.of(status, code, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        properties.forEach(problem::setProperty);
        problem.setProperty("correlationId", MDC.get(RequestContext.MDC_CORRELATION_ID));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        objectMapper.writeValue(response.getOutputStream(), problem);
    }
}
