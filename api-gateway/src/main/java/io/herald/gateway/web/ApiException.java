package io.herald.gateway.web;

import org.springframework.http.HttpStatus;

import java.util.Map;

/** An error the API answers with directly: status, stable code, message, extra problem properties and headers. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> properties;
    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String code, String message, Map<String, Object> properties,
                        Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.properties = properties == null ? Map.of() : Map.copyOf(properties);
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, Map.of(), Map.of());
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
