package io.herald.gateway.security;

import io.herald.gateway.support.ApiClient;
import io.herald.gateway.support.IntegrationTest;
import io.herald.gateway.support.TestAuth;
import io.herald.identity.HeraldPrincipal;
import io.herald.identity.Role;
import io.herald.identity.Scopes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every endpoint the application maps (from the handler mappings, so a new endpoint without a
 * rule in {@link EndpointRules} fails the build) × anonymous, every role and every API-key scope,
 * and checks that security lets through exactly who the table admits: the others get 401
 * (anonymous) or 403.
 */
// Spring Boot's tests swap the metrics registries for a simple one unless asked: the Prometheus endpoint is checked too
@AutoConfigureObservability(tracing = false)
class EndpointSecurityMatrixIT extends IntegrationTest {

    private static final Set<String> SECURITY_CODES =
            Set.of("auth.unauthenticated", "auth.forbidden", "auth.invalid-token", "auth.invalid-api-key");

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Endpoint(HttpMethod method, String pattern) {
    }

    record Caller(String name, HeraldPrincipal principal, Map<String, String> headers) {
    }

    private List<Endpoint> apiEndpoints() {
        Set<String> seen = new TreeSet<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (!pattern.startsWith("/api/") && !pattern.equals("/api") && !pattern.startsWith("/v1/")) {
                    continue;
                }
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    if (seen.add(method + " " + pattern)) {
                        endpoints.add(new Endpoint(HttpMethod.valueOf(method.name()), pattern));
                    }
                }
                assertThat(info.getMethodsCondition().getMethods()).as("%s maps no explicit HTTP method", pattern)
                        .isNotEmpty();
            }
        }
        return endpoints;
    }

    private static EndpointRules.Rule ruleFor(Endpoint endpoint) {
        return EndpointRules.RULES.stream()
                .filter(r -> r.method().equals(endpoint.method()) && r.pattern().equals(endpoint.pattern()))
                .findFirst().orElse(null);
    }

    @Test
    void everyMappedEndpoint_hasARule() {
        List<String> missing = apiEndpoints().stream().filter(e -> ruleFor(e) == null)
                .map(e -> e.method() + " " + e.pattern()).toList();
        assertThat(missing).as("endpoints without a rule in EndpointRules").isEmpty();
        List<String> stale = EndpointRules.RULES.stream()
                .filter(r -> apiEndpoints().stream().noneMatch(e -> e.method().equals(r.method())
                        && e.pattern().equals(r.pattern())))
                .map(r -> r.method() + " " + r.pattern()).toList();
        assertThat(stale).as("rules for endpoints that do not exist").isEmpty();
    }

    @Test
    void everyEndpoint_admitsExactlyTheRolesAndScopesOfItsRule() {
        ApiClient api = new ApiClient(port);
        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("anonymous", null, Map.of()));
        for (Role role : Role.values()) {
            callers.add(new Caller(role.name(), new HeraldPrincipal(HeraldPrincipal.Kind.USER, "x", "x", Set.of(role), Set.of()),
                                   TestAuth.bearer(TestAuth.userWithRole(api, role.name()))));
        }
        for (String scope : Scopes.ALL) {
            callers.add(new Caller("key " + scope, new HeraldPrincipal(HeraldPrincipal.Kind.API_KEY, "x", "x", Set.of(),
                                                                       Set.of(scope)),
                                   Map.of("X-API-Key", TestAuth.apiKey(api, scope))));
        }
        Map<String, String> failures = new LinkedHashMap<>();
        for (Endpoint endpoint : apiEndpoints()) {
            EndpointRules.Rule rule = ruleFor(endpoint);
            String path = endpoint.pattern().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            boolean hasBody = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH).contains(endpoint.method());
            for (Caller caller : callers) {
                Map<String, String> headers = new LinkedHashMap<>(caller.headers());
                if (endpoint.pattern().endsWith("/stream")) {
                    // event streams stay open: asking for JSON gets the security decision or a 406 at once
                    headers.put("Accept", "application/json");
                }
                var response = api.send(endpoint.method().name(), path, hasBody ? "{}" : null,
                                        hasBody ? "application/json" : null, headers);
                String code = response.header("Content-Type") != null
                        && response.header("Content-Type").contains("json") && response.body().startsWith("{")
                        && response.json().has("code") ? response.json().get("code").asText() : "";
                boolean refusedBySecurity = SECURITY_CODES.contains(code);
                boolean admitted = rule.access().isPublic()
                        || (caller.principal() != null && rule.access().admits(caller.principal()));
                String key = endpoint.method() + " " + endpoint.pattern() + " as " + caller.name();
                if (admitted && (refusedBySecurity || response.status() >= 500)) {
                    failures.put(key, "expected to be let through, got " + response);
                } else if (!admitted && caller.principal() == null && response.status() != 401) {
                    failures.put(key, "expected 401, got " + response);
                } else if (!admitted && caller.principal() != null && response.status() != 403) {
                    failures.put(key, "expected 403, got " + response);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * The actuator outside /api: the metrics and info answer on the management port only (the port is the
     * boundary: keep it off the internet), health on both ports; anonymous callers get the same as anyone.
     */
    @Test
    void actuator_metricsOnlyOnTheManagementPort_healthOnBoth() {
        ApiClient publicPort = new ApiClient(port);
        ApiClient management = new ApiClient(managementPort);
        assertThat(managementPort).isNotEqualTo(port);

        var scrape = management.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Type")).startsWith("text/plain");
        assertThat(scrape.body()).contains("jvm_memory_used_bytes{").contains("herald_eventstore_reader_state{");
        assertThat(management.get("/actuator/info").status()).isEqualTo(200);
        assertThat(management.get("/actuator/health").status()).isEqualTo(200);

        assertThat(publicPort.get("/actuator/prometheus").status()).isEqualTo(404);
        assertThat(publicPort.get("/actuator/info").status()).isEqualTo(404);
        assertThat(publicPort.get("/actuator").status()).isEqualTo(404);
        var health = publicPort.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.json().get("components").has("eventStore")).isTrue();
        // a token changes nothing on the public port: the metrics are not behind a role, they are elsewhere
        var withToken = api(publicPort).get("/actuator/prometheus");
        assertThat(withToken.status()).isEqualTo(404);
    }

    /**
     * The e-mail tracking endpoints outside /api (the open pixel and the link redirects): public, whoever calls,
     * and with a tracking token that is not valid the pixel still answers the image and the redirect a 404, never
     * a security refusal or a 500; POST is not mapped.
     */
    @Test
    void emailTrackingEndpoints_arePublic_forAnyCaller() {
        ApiClient anonymous = new ApiClient(port);
        for (ApiClient caller : List.of(anonymous, api(new ApiClient(port)))) {
            var pixel = caller.get("/t/o/not-a-token");
            assertThat(pixel.status()).as(pixel.toString()).isEqualTo(200);
            assertThat(pixel.header("Content-Type")).isEqualTo("image/gif");
            var click = caller.get("/t/c/not-a-token");
            assertThat(click.status()).as(click.toString()).isEqualTo(404);
            assertThat(click.json().get("code").asText()).isEqualTo("engagement.link-invalid");
        }
        assertThat(anonymous.post("/t/c/not-a-token", null).status()).isIn(403, 404, 405);
        assertThat(EndpointRules.PUBLIC_PATHS).contains("/t/o/{token}", "/t/c/{token}");
    }

    /**
     * The providers' bounce and complaint webhooks outside /api: public (the provider's signature is the
     * authorization), whoever calls; an unsigned body is refused by the signature check (401
     * feedback.signature-invalid), never by the security chain; a body that is not JSON is a 400; Mailgun without a
     * signing key is a 404; GET is not mapped. Never a 500.
     */
    @Test
    void emailFeedbackWebhooks_arePublic_andTheSignatureIsTheAuthorization() {
        ApiClient anonymous = new ApiClient(port);
        for (ApiClient caller : List.of(anonymous, api(new ApiClient(port)))) {
            var unsigned = caller.send("POST", "/feedback/ses", "{\"Type\":\"Notification\",\"Message\":\"{}\","
                    + "\"MessageId\":\"m\",\"Timestamp\":\"t\",\"TopicArn\":\"arn\",\"SignatureVersion\":\"1\"}",
                                       "text/plain", Map.of());
            assertThat(unsigned.status()).as(unsigned.toString()).isEqualTo(401);
            assertThat(unsigned.json().get("code").asText()).isEqualTo("feedback.signature-invalid");
            var malformed = caller.send("POST", "/feedback/ses", "not json", "text/plain", Map.of());
            assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
            assertThat(malformed.json().get("code").asText()).isEqualTo("feedback.malformed");
            var mailgun = caller.post("/feedback/mailgun", "{}");
            assertThat(mailgun.status()).as(mailgun.toString()).isEqualTo(404);
            assertThat(mailgun.json().get("code").asText()).isEqualTo("feedback.provider-not-configured");
            var empty = caller.send("POST", "/feedback/ses", null, null, Map.of());
            assertThat(empty.status()).as(empty.toString()).isIn(400, 415);
        }
        assertThat(anonymous.get("/feedback/ses").status()).isIn(403, 404, 405);
        assertThat(EndpointRules.PUBLIC_PATHS).contains("/feedback/ses", "/feedback/mailgun");
    }

    private static ApiClient api(ApiClient anonymous) {
        return TestAuth.asAdmin(anonymous);
    }
}
