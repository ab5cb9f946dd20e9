package io.herald.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tomcat's error page for what it refuses itself, before a request reaches Herald (control
 * characters in a header, a malformed request line or URL encoding): the same problem+json document
 * every other error gets, instead of Tomcat's HTML page. Errors Herald answers itself never get here
 * (their response is already written).
 */
public class ProblemJsonErrorReportValve extends ErrorReportValve {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String code = status == 400 ? "request.invalid-http" : "http." + status;
        String detail = status == 400
                ? "The request is not valid HTTP (a control character in a header, a malformed request line or URL encoding)"
                : known == null ? "HTTP " + status : known.getReasonPhrase();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ApiProblem.TYPE_PREFIX + code);
        problem.put("title", known == null ? "HTTP " + status : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("code", code);
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
