package io.herald.gateway.campaign;

/** Request bodies shared by the campaign integration tests. */
public final class CampaignApiITSupport {

    public static final String EMAIL_BODY = """
            {"name":"Winter sale","channel":"EMAIL","content":{"subject":"Hi {{ first_name }}","body":"Sale!"},"throttlePerSecond":50}""";

    private CampaignApiITSupport() {
    }
}
