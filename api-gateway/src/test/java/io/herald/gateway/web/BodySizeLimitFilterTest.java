package io.herald.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.gateway.security.SecurityProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodySizeLimitFilterTest {

    private static final long LIMIT = 64 * 1024;

    private final BodySizeLimitFilter filter = new BodySizeLimitFilter(
            new SecurityProperties(null,
                                   new SecurityProperties.Limits(LIMIT, 4 * LIMIT, List.of("/v1/batch"), List.of())),
            new ProblemWriter(new ObjectMapper()));

    private static byte[] gzip(byte[] plain, long repeat) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            for (long i = 0; i < repeat; i++) {
                zip.write(plain);
            }
        }
        return out.toByteArray();
    }

    private static MockHttpServletRequest post(String path, byte[] body, String encoding, boolean declareLength) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path) {
            @Override
            public long getContentLengthLong() {
                return declareLength ? super.getContentLengthLong() : -1;
            }
        };
        request.setContent(body);
        if (encoding != null) {
            request.addHeader("Content-Encoding", encoding);
        }
        return request;
    }

    /** Runs the filter and returns the request the application would see, or null when the filter answered. */
    private HttpServletRequest passed(MockHttpServletRequest request, MockHttpServletResponse response) throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return (HttpServletRequest) chain.getRequest();
    }

    @Test
    void gzipBody_isDecompressed_andNoLongerLooksEncoded() throws Exception {
        byte[] json = "{\"event\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        HttpServletRequest seen = passed(post("/v1/track", gzip(json, 1), "gzip", true), new MockHttpServletResponse());
        assertThat(seen.getInputStream().readAllBytes()).isEqualTo(json);
        assertThat(seen.getHeader("Content-Encoding")).isNull();
        assertThat(seen.getContentLengthLong()).isEqualTo(-1);
        assertThat(java.util.Collections.list(seen.getHeaderNames())).doesNotContain("Content-Encoding");
    }

    @Test
    void gzipBomb_failsOnceTheDecompressedSizePassesTheLimit_declaredOrNot() throws Exception {
        byte[] spaces = new byte[1024];
        Arrays.fill(spaces, (byte) ' ');
        byte[] bomb = gzip(spaces, 100 * 1024); // 100 MiB inflated, ~100 KiB compressed
        assertThat((long) bomb.length).isLessThan(4 * LIMIT);
        for (boolean declared : new boolean[] {true, false}) {
            HttpServletRequest seen = passed(post("/v1/batch", bomb, "gzip", declared), new MockHttpServletResponse());
            var in = seen.getInputStream();
            byte[] buffer = new byte[8192];
            long[] read = {0};
            assertThatThrownBy(() -> {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read[0] += n;
                }
            }).isInstanceOf(BodySizeLimitFilter.PayloadTooLargeException.class);
            assertThat(read[0]).isLessThanOrEqualTo(4 * LIMIT);
        }
    }

    @Test
    void notGzip_orCutShort_isMalformed() throws Exception {
        byte[] whole = gzip("{\"event\":\"x\"}".getBytes(StandardCharsets.UTF_8), 1);
        for (byte[] broken : new byte[][] {"{}".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(whole, whole.length - 6),
                new byte[0]}) {
            HttpServletRequest seen = passed(post("/v1/track", broken, "gzip", true), new MockHttpServletResponse());
            assertThatThrownBy(() -> seen.getInputStream().readAllBytes())
                    .isInstanceOf(BodySizeLimitFilter.MalformedEncodingException.class);
        }
    }

    @Test
    void otherEncodings_are415_identityIsNone() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThat(passed(post("/v1/track", "{}".getBytes(StandardCharsets.UTF_8), "br", true), response)).isNull();
        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(response.getContentAsString()).contains("request.unsupported-encoding");
        assertThat(response.getHeader("Accept-Encoding")).isEqualTo("gzip");

        HttpServletRequest identity = passed(post("/v1/track", "{}".getBytes(StandardCharsets.UTF_8), "identity", true),
                                             new MockHttpServletResponse());
        assertThat(identity.getInputStream().readAllBytes()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void declaredCompressedSizeOverTheLimit_is413AtOnce() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThat(passed(post("/v1/track", new byte[(int) LIMIT + 1], "gzip", true), response)).isNull();
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("request.too-large");
    }
}
