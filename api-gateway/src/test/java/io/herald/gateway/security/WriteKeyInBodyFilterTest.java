package io.herald.gateway.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WriteKeyInBodyFilterTest {

    private static String keyOf(String body) {
        return WriteKeyInBodyFilter.writeKey(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writeKey_isTheTopLevelString_afterAnyBatch() {
        assertThat(keyOf("{\"batch\":[{\"writeKey\":\"inner\",\"context\":{\"writeKey\":\"deeper\"}}],"
                                 + "\"sentAt\":\"2026-01-01T00:00:00Z\",\"sequence\":1,\"writeKey\":\"hk_a_b\"}"))
                .isEqualTo("hk_a_b");
    }

    @Test
    void noKey_whenAbsentNestedOnlyNotAStringOrNotJson() {
        assertThat(keyOf("{\"batch\":[{\"writeKey\":\"inner\"}]}")).isNull();
        assertThat(keyOf("{\"writeKey\":{\"key\":\"hk_a_b\"}}")).isNull();
        assertThat(keyOf("{\"writeKey\":\"  \"}")).isNull();
        assertThat(keyOf("[\"writeKey\",\"hk_a_b\"]")).isNull();
        assertThat(keyOf("{\"writeKey\":")).isNull();
        assertThat(keyOf("")).isNull();
    }
}
