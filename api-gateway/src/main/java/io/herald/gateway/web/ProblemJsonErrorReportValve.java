package io.herald.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat's error page for what it refuses itself, before a request reaches Herald (control
 * characters in a header, a malformed request line or URL encoding): the same problem+json document
 * every other error gets, instead of Tomcat's HTML page. Errors Herald answers itself never get here
 * (their response is already written).
 */
public class ProblemJsonErrorReportValve extends ErrorReportValve {

    /** Spring's own mix-in: the problem's properties ({@code code}) as top-level members, as the API writes them. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class);

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        HttpStatus known = HttpStatus.resolve(status); // Tomcat sets only standard statuses
        if (status < 400 || known == null || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ProblemDetail problem = status == 400
                ? ApiProblem.of(known, "request.invalid-http", "The request is not valid HTTP (a control character "
                        + "in a header, a malformed request line or URL encoding)")
                : ApiProblem.of(known, "http." + status, known.getReasonPhrase());
        try {
            byte[] body = JSON.writeValueAsBytes(problem);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            try (OutputStream out = response.getOutputStream()) {
                out.write(body);
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response was taken: nothing more to say
        }
    }
}
