package io.herald.gateway.campaign;

import io.herald.gateway.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Request bodies shared by the campaign integration tests. */
public final class CampaignApiITSupport {

    public static final String EMAIL_BODY = """
            {"name":"Winter sale","channel":"EMAIL","content":{"subject":"Hi {{ first_name }}","body":"Sale!"},"throttlePerSecond":50}""";

    private CampaignApiITSupport() {
    }

    /** A segment (of contacts with attribute {@code audience} = {@code value}) in the database behind {@code api}. */
    public static String segment(ApiClient api, String value) {
        var created = api.post("/api/segments", "{\"name\":\"Audience " + value + "\",\"rules\":{\"type\":\"attribute\","
                + "\"attribute\":\"audience\",\"operator\":\"eq\",\"value\":\"" + value + "\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    /** {@link #EMAIL_BODY} with a segment, so that the campaign can be scheduled and launched. */
    public static String emailBody(ApiClient api) {
        return EMAIL_BODY.replace("\"throttlePerSecond\":50", "\"throttlePerSecond\":50,\"segmentId\":\""
                + segment(api, "test-" + java.util.UUID.randomUUID()) + "\"");
    }
}
