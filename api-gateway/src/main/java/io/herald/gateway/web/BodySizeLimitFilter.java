package io.herald.gateway.web;

import io.herald.gateway.security.SecurityProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;

/**
 * Refuses request bodies over {@code herald.security.limits.max-body-bytes} (bulk paths:
 * {@code max-bulk-body-bytes}) with 413: at once when {@code Content-Length} says so, and while
 * reading when a chunked body grows past the limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class BodySizeLimitFilter extends OncePerRequestFilter {

    private final SecurityProperties.Limits limits;
    private final ProblemWriter problems;
    private final AntPathMatcher matcher = new AntPathMatcher();

    public BodySizeLimitFilter(SecurityProperties properties, ProblemWriter problems) {
        this.limits = properties.limits();
        this.problems = problems;
    }

    /** Thrown while reading a body that is too large; mapped to 413. */
    public static final class PayloadTooLargeException extends IOException {
        public PayloadTooLargeException(long limit) {
            super("Request body larger than " + limit + " bytes");
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // CSV uploads stream to disk under spring.servlet.multipart's limits (2 GB by default)
        return limits.uploadPaths().stream().anyMatch(p -> matcher.match(p, request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        long limit = limits.bulkPaths().stream().anyMatch(p -> matcher.match(p, path))
                ? limits.maxBulkBodyBytes()
                : limits.maxBodyBytes();
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            problems.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "request.too-large",
                           "The request body is larger than " + limit + " bytes", Map.of("limitBytes", limit));
            return;
        }
        chain.doFilter(declared >= 0 ? request : new LimitedRequest(request, limit), response);
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream delegate = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    private void count(long n) throws IOException {
                        read += n;
                        if (read > limit) {
                            throw new PayloadTooLargeException(limit);
                        }
                    }

                    @Override
                    public int read() throws IOException {
                        int b = delegate.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = delegate.read(buffer, offset, length);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return delegate.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return delegate.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        delegate.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
