package io.herald.gateway.web;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.herald.api.common.DomainException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.messaging.interceptors.JSR303ViolationException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.queryhandling.QueryExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Every error the API returns is problem+json with a stable {@code code} and the correlation id;
 * no stack trace, SQL or class name ever reaches the client.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(DomainException.class)
    public ResponseEntity<Object> domain(DomainException e, HttpServletRequest request) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_ENTITY;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case THROTTLED -> HttpStatus.TOO_MANY_REQUESTS;
        };
        ProblemDetail problem = ApiProblem.of(status, e.code(), e.getMessage());
        if (e.field() != null) {
            problem.setProperty("errors", List.of(new ApiProblem.FieldError(e.field(), e.getMessage())));
        }
        e.details().forEach(problem::setProperty);
        ResponseEntity<Object> response = respond(problem, request);
        Object retryAfter = e.details().get(DomainException.RETRY_AFTER_SECONDS);
        if (e.kind() != DomainException.Kind.THROTTLED || retryAfter == null) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter)).body(response.getBody());
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, HttpServletRequest request) {
        ProblemDetail problem = ApiProblem.of(e.status(), e.code(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        ResponseEntity<Object> response = respond(problem, request);
        if (e.headers().isEmpty()) {
            return response;
        }
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(response.getHeaders());
        e.headers().forEach(headers::set);
        return new ResponseEntity<>(response.getBody(), headers, response.getStatusCode());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<Object> aggregateNotFound(AggregateNotFoundException e, HttpServletRequest request) {
        return respond(ApiProblem.of(HttpStatus.NOT_FOUND, "not-found",
                                     "Nothing with id " + e.getAggregateIdentifier() + " exists"), request);
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<Object> concurrency(ConcurrencyException e, HttpServletRequest request) {
        return respond(ApiProblem.of(HttpStatus.CONFLICT, "concurrent-modification",
                                     "Someone else changed this at the same moment; read it again and retry"),
                       request);
    }

    /** A stale {@code If-Match}: the aggregate is at another version and refused the command. */
    @ExceptionHandler(ConflictingAggregateVersionException.class)
    ResponseEntity<Object> preconditionFailed(ConflictingAggregateVersionException e, HttpServletRequest request) {
        ProblemDetail problem = ApiProblem.of(HttpStatus.PRECONDITION_FAILED, WritePath.PRECONDITION_FAILED,
                                              "This changed since the ETag in If-Match was read: it is at "
                                                      + WritePath.etag(e.getActualVersion())
                                                      + "; read it again and retry");
        problem.setProperty("currentETag", WritePath.etag(e.getActualVersion()));
        return respond(problem, request);
    }

    @ExceptionHandler(JSR303ViolationException.class)
    ResponseEntity<Object> commandValidation(JSR303ViolationException e, HttpServletRequest request) {
        List<ApiProblem.FieldError> errors = e.getViolations().stream()
                .map(v -> new ApiProblem.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                .sorted(Comparator.comparing(ApiProblem.FieldError::field))
                .toList();
        return respond(ApiProblem.invalid("validation.failed", "The request has invalid fields", errors), request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(ConstraintViolationException e, HttpServletRequest request) {
        List<ApiProblem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ApiProblem.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(ApiProblem.FieldError::field))
                .toList();
        return respond(ApiProblem.invalid("validation.failed", "The request has invalid parameters", errors), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String detail = "Parameter '" + e.getName() + "' has an invalid value";
        return respond(ApiProblem.invalid("request.invalid-parameter", detail,
                                          List.of(new ApiProblem.FieldError(e.getName(), detail))), request);
    }

    /** Axon wraps handler exceptions on some paths; unwrap to the domain's own exception. */
    @ExceptionHandler({CompletionException.class, ExecutionException.class, CommandExecutionException.class,
            QueryExecutionException.class})
    ResponseEntity<Object> wrapped(Exception e, HttpServletRequest request) throws Exception {
        Throwable cause = e.getCause();
        if (e instanceof CommandExecutionException cee && cee.getDetails().orElse(null) instanceof Throwable t) {
            cause = t;
        }
        if (cause instanceof DomainException de) {
            return domain(de, request);
        }
        if (cause instanceof AggregateNotFoundException anf) {
            return aggregateNotFound(anf, request);
        }
        if (cause instanceof ConcurrencyException ce) {
            return concurrency(ce, request);
        }
        if (cause instanceof ConflictingAggregateVersionException cave) {
            return preconditionFailed(cave, request);
        }
        if (cause instanceof JSR303ViolationException ve) {
            return commandValidation(ve, request);
        }
        return unexpected(cause instanceof Exception ex ? ex : e, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) throws Exception {
        if (e instanceof org.springframework.web.ErrorResponse || isSpringMvcException(e)) {
            throw e; // handled by ResponseEntityExceptionHandler
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodySizeLimitFilter.UnreadableBodyException unreadable) {
                ProblemDetail problem = ApiProblem.of(unreadable.status(), unreadable.code(), unreadable.getMessage());
                unreadable.properties().forEach(problem::setProperty);
                return respond(problem, request);
            }
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(ApiProblem.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                                     "An unexpected error occurred; quote the correlation id when reporting it"),
                       request);
    }

    private static boolean isSpringMvcException(Exception e) {
        return e.getClass().getPackageName().startsWith("org.springframework.web")
                || e instanceof HttpMessageNotReadableException;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<ApiProblem.FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> new ApiProblem.FieldError(f.getField(), messageOf(f)))
                .sorted(Comparator.comparing(ApiProblem.FieldError::field))
                .toList();
        ProblemDetail problem = ApiProblem.invalid("validation.failed", "The request has invalid fields", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers,
                                                                            HttpStatusCode status,
                                                                            WebRequest request) {
        List<ApiProblem.FieldError> errors = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new ApiProblem.FieldError(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        ProblemDetail problem = ApiProblem.invalid("validation.failed", "The request has invalid parameters", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail problem;
        Throwable cause = ex.getCause();
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof BodySizeLimitFilter.UnreadableBodyException unreadable) {
                problem = ApiProblem.of(unreadable.status(), unreadable.code(), unreadable.getMessage());
                unreadable.properties().forEach(problem::setProperty);
                return handleExceptionInternal(ex, problem, headers, unreadable.status(), request);
            }
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = pathOrBody(unknown);
            problem = ApiProblem.invalid("request.unknown-field", "Unknown field '" + field + "'",
                                         List.of(new ApiProblem.FieldError(field, "unknown field")));
        } else if (cause instanceof InvalidFormatException invalid) {
            String field = pathOrBody(invalid);
            problem = ApiProblem.invalid("request.invalid-value", "Field '" + field + "' has an invalid value",
                                         List.of(new ApiProblem.FieldError(field, "invalid value")));
        } else if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
            String field = pathOrBody(mismatched);
            problem = ApiProblem.invalid("request.invalid-value", "Field '" + field + "' has the wrong type",
                                         List.of(new ApiProblem.FieldError(field, "wrong type")));
        } else if (cause instanceof MismatchedInputException mismatched
                && !String.valueOf(mismatched.getOriginalMessage()).startsWith("Trailing token")) {
            problem = ApiProblem.invalid("request.invalid-value", "The request body must be a JSON object",
                                         List.of(new ApiProblem.FieldError("body", "must be a JSON object")));
        } else if (cause == null && ex.getMessage() != null && ex.getMessage().startsWith("Required request body")) {
            problem = ApiProblem.invalid("request.body-missing", "A JSON request body is required", List.of());
        } else {
            problem = ApiProblem.invalid("request.malformed-json", "The request body is not valid JSON", List.of());
        }
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail pd ? pd : ProblemDetail.forStatus(statusCode);
        if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
            String code = "http." + statusCode.value();
            problem.setType(java.net.URI.create(ApiProblem.TYPE_PREFIX + code));
            problem.setProperty("code", code);
        }
        problem.setProperty("correlationId", MDC.get(RequestContext.MDC_CORRELATION_ID));
        HttpHeaders out = new HttpHeaders();
        out.putAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, out, statusCode);
    }

    private ResponseEntity<Object> respond(ProblemDetail problem, HttpServletRequest request) {
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        problem.setProperty("correlationId", MDC.get(RequestContext.MDC_CORRELATION_ID));
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String messageOf(FieldError error) {
        return error.getDefaultMessage() == null ? "invalid" : error.getDefaultMessage();
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String pathOrBody(MismatchedInputException e) {
        String path = JsonPaths.of(e);
        return path.isEmpty() ? "body" : path;
    }
}
