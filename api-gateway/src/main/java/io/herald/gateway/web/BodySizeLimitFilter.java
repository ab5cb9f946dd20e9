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
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Refuses request bodies over {@code herald.security.limits.max-body-bytes} (bulk paths:
 * {@code max-bulk-body-bytes}) with 413: at once when {@code Content-Length} says so, and while
 * reading when a chunked body grows past the limit. Bodies sent with {@code Content-Encoding: gzip}
 * (as Segment's libraries may) are decompressed here, and the limit applies to the decompressed
 * size too, so a small body that inflates to gigabytes is refused once it passes the limit, never
 * held in memory; a body that is not valid gzip is 400, another encoding 415.
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

    /** A body that cannot be read as sent; answered with its own status and code. */
    public abstract static sealed class UnreadableBodyException extends IOException
            permits PayloadTooLargeException, MalformedEncodingException {
        UnreadableBodyException(String message) {
            super(message);
        }

        public abstract HttpStatus status();

        public abstract String code();

        public abstract Map<String, Object> properties();
    }

    /** Thrown while reading a body that is (or inflates to) more than the limit; mapped to 413. */
    public static final class PayloadTooLargeException extends UnreadableBodyException {
        private final long limit;

        public PayloadTooLargeException(long limit) {
            super("Request body larger than " + limit + " bytes");
            this.limit = limit;
        }

        @Override
        public HttpStatus status() {
            return HttpStatus.PAYLOAD_TOO_LARGE;
        }

        @Override
        public String code() {
            return "request.too-large";
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of("limitBytes", limit);
        }
    }

    /** Thrown while reading a body declared gzip that is not (or is cut short); mapped to 400. */
    public static final class MalformedEncodingException extends UnreadableBodyException {
        MalformedEncodingException() {
            super("The request body is declared Content-Encoding: gzip but is not valid gzip");
        }

        @Override
        public HttpStatus status() {
            return HttpStatus.BAD_REQUEST;
        }

        @Override
        public String code() {
            return "request.malformed-gzip";
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of();
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
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        String coding = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
        boolean gzip = coding.equals("gzip") || coding.equals("x-gzip");
        if (!gzip && !coding.isEmpty() && !coding.equals("identity")) {
            response.setHeader(HttpHeaders.ACCEPT_ENCODING, "gzip");
            problems.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "request.unsupported-encoding",
                           "Content-Encoding " + encoding.strip() + " is not supported; send gzip or no encoding",
                           Map.of());
            return;
        }
        chain.doFilter(declared >= 0 && !gzip ? request : new LimitedRequest(request, limit, gzip), response);
    }

    /** The body counted against the limit as it is read, and decompressed (then counted again) when gzip. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private final boolean gzip;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit, boolean gzip) {
            super(request);
            this.limit = limit;
            this.gzip = gzip;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream wire = super.getInputStream();
                InputStream counted = new Counting(wire, limit);
                stream = new Body(wire, gzip ? new Inflating(counted, limit) : counted);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        // a decompressed body has no known length and no encoding any more
        @Override
        public int getContentLength() {
            return gzip ? -1 : super.getContentLength();
        }

        @Override
        public long getContentLengthLong() {
            return gzip ? -1 : super.getContentLengthLong();
        }

        @Override
        public String getHeader(String name) {
            return gzip && hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return gzip && hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            if (!gzip) {
                return super.getHeaderNames();
            }
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                                                   .filter(name -> !hidden(name)).toList());
        }

        private static boolean hidden(String name) {
            return HttpHeaders.CONTENT_ENCODING.equalsIgnoreCase(name)
                    || HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name);
        }
    }

    /** Fails with {@link PayloadTooLargeException} once more than {@code limit} bytes came through. */
    private static final class Counting extends InputStream {
        private final InputStream in;
        private final long limit;
        private long read;

        Counting(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        private int count(int n) throws IOException {
            if (n > 0) {
                read += n;
                if (read > limit) {
                    throw new PayloadTooLargeException(limit);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return count(in.read(buffer, offset, length));
        }
    }

    /** gzip decompression, started on the first read, whose output is counted against the limit. */
    private static final class Inflating extends InputStream {
        private final InputStream compressed;
        private final long limit;
        private InputStream inflated;

        Inflating(InputStream compressed, long limit) {
            this.compressed = compressed;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                if (inflated == null) {
                    inflated = new Counting(new GZIPInputStream(compressed, 8192), limit);
                }
                return inflated.read(buffer, offset, length);
            } catch (ZipException | EOFException notGzip) {
                throw new MalformedEncodingException();
            }
        }
    }

    private static final class Body extends ServletInputStream {
        private final ServletInputStream wire;
        private final InputStream in;
        private boolean finished;

        Body(ServletInputStream wire, InputStream in) {
            this.wire = wire;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            finished = b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            finished = n < 0;
            return n;
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return wire.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            wire.setReadListener(listener);
        }
    }
}
