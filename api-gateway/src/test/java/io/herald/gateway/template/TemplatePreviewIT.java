package io.herald.gateway.template;

import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

class TemplatePreviewIT extends IntegrationTest {

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = TestAuth.asAdmin(new ApiClient(port));
    }

    @Test
    void preview_rendersForASampleContactOrGivenVariables_escapingInHtml() {
        var sample = api.post("/api/templates/preview", "{\"template\":\"Hi {{ first_name }} ({{ attributes.plan }})\"}");
        assertThat(sample.status()).isEqualTo(200);
        assertThat(sample.json().get("rendered").asText()).isEqualTo("Hi Ada (pro)");
        assertThat(sample.json().get("sampleContact").asBoolean()).isTrue();
        var html = api.post("/api/templates/preview",
                            "{\"template\":\"<b>{{ name }}</b>\",\"format\":\"HTML\",\"variables\":{\"name\":\"<i>x</i>\"}}");
        assertThat(html.json().get("rendered").asText()).isEqualTo("<b>&lt;i&gt;x&lt;/i&gt;</b>");
    }

    @Test
    void preview_forAChosenContact_seesWhatASendToItWouldSee() {
        var contact = api.post("/api/contacts", "{\"email\":\"p" + java.util.UUID.randomUUID().toString().substring(0, 8)
                + "@example.com\",\"attributes\":{\"first_name\":\"Grace <3\",\"plan\":\"team\"}}");
        assertThat(contact.status()).as(contact.toString()).isIn(200, 201);
        String id = contact.json().get("id").asText();
        var rendered = api.post("/api/templates/preview", "{\"template\":\"<p>{{ first_name }} {{ attributes.plan }} "
                + "{{ email }}</p>\",\"format\":\"HTML\",\"contactId\":\"" + id + "\"}");
        assertThat(rendered.status()).as(rendered.toString()).isEqualTo(200);
        assertThat(rendered.json().get("rendered").asText())
                .isEqualTo("<p>Grace &lt;3 team " + contact.json().get("email").asText() + "</p>");
        assertThat(rendered.json().get("sampleContact").asBoolean()).isFalse();
        assertThat(api.post("/api/templates/preview", "{\"template\":\"x\",\"contactId\":\""
                + java.util.UUID.randomUUID() + "\"}").status()).isEqualTo(404);
        assertThat(api.post("/api/templates/preview", "{\"template\":\"x\",\"contactId\":\"" + id
                + "\",\"variables\":{}}").status()).isEqualTo(400);
    }

    @Test
    void preview_withAFlowsTriggerData_besidesTheContact() {
        var sample = api.post("/api/templates/preview", "{\"template\":\"{{ first_name }}: cart {{ trigger.cartId }}\","
                + "\"trigger\":{\"cartId\":\"c-42\"}}");
        assertThat(sample.status()).as(sample.toString()).isEqualTo(200);
        assertThat(sample.json().get("rendered").asText()).isEqualTo("Ada: cart c-42");
        assertThat(sample.json().get("sampleContact").asBoolean()).isTrue();
        var contact = api.post("/api/contacts", "{\"email\":\"t" + java.util.UUID.randomUUID().toString().substring(0, 8)
                + "@example.com\",\"attributes\":{\"first_name\":\"Grace\"}}");
        var forContact = api.post("/api/templates/preview", "{\"template\":\"{{ first_name }}: {{ trigger.total }}\","
                + "\"contactId\":\"" + contact.json().get("id").asText() + "\",\"trigger\":{\"total\":80}}");
        assertThat(forContact.json().get("rendered").asText()).isEqualTo("Grace: 80");
        assertThat(api.post("/api/templates/preview", "{\"template\":\"x\",\"variables\":{},\"trigger\":{}}")
                           .status()).isEqualTo(400);
    }

    @Test
    void brokenTemplates_are422WithPosition() {
        var broken = api.post("/api/templates/preview", "{\"template\":\"line one\\n{% for x in y %}\"}");
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.json().get("code").asText()).isEqualTo("template.invalid");
        assertThat(broken.json().get("line").asInt()).isPositive();
        var fileTag = api.post("/api/templates/preview", "{\"template\":\"{% include '/etc/passwd' %}\"}");
        assertThat(fileTag.status()).isEqualTo(422);
        var campaign = api.post("/api/campaigns",
                                "{\"name\":\"n\",\"channel\":\"EMAIL\",\"content\":{\"subject\":\"{{ oops\",\"body\":\"b\"}}");
        assertThat(campaign.status()).isEqualTo(422);
        assertThat(campaign.json().get("code").asText()).isEqualTo("campaign.template.invalid");
        assertThat(campaign.json().get("errors").get(0).get("field").asText()).isEqualTo("content.subject");
        assertThat(api.post("/api/templates/preview", "{}").status()).isEqualTo(400);
    }
}
