package io.herald.gateway.security;

import io.herald.identity.Scopes;
import org.springframework.http.HttpMethod;

import java.util.List;

import static io.herald.identity.Role.ADMIN;
import static io.herald.identity.Role.ANALYST;
import static io.herald.identity.Role.MARKETER;

/**
 * Every endpoint and who may call it: the one table the security filter chain is built from.
 * An endpoint missing here is refused to everyone, and {@code EndpointSecurityMatrixIT} fails the
 * build for it. The README's access table lists the same rows.
 */
public final class EndpointRules {

    /** One endpoint: method and path pattern exactly as the controller maps it. */
    public record Rule(HttpMethod method, String pattern, Access access) {
    }

    public static final Access READ = Access.roles(ADMIN, MARKETER, ANALYST).orScopes(Scopes.READ);
    public static final Access CAMPAIGN_WRITE = Access.roles(ADMIN, MARKETER).orScopes(Scopes.CAMPAIGNS_WRITE);
    public static final Access CAMPAIGN_LAUNCH = Access.roles(ADMIN, MARKETER).orScopes(Scopes.CAMPAIGNS_LAUNCH);
    public static final Access CONTACT_WRITE = Access.roles(ADMIN, MARKETER).orScopes(Scopes.CONTACTS_WRITE);
    public static final Access MARKETING_WRITE = Access.roles(ADMIN, MARKETER);
    public static final Access EVENTS_WRITE = Access.roles(ADMIN, MARKETER).orScopes(Scopes.EVENTS_WRITE);
    public static final Access FLOW_WRITE = Access.roles(ADMIN, MARKETER).orScopes(Scopes.FLOWS_WRITE);
    public static final Access FLOW_ENTER = Access.roles(ADMIN, MARKETER).orScopes(Scopes.FLOWS_ENTER);
    public static final Access ADMIN_ONLY = Access.roles(ADMIN);
    /** Outgoing webhook subscriptions: an admin's setting (they name endpoints and hold secrets), and the n8n key's. */
    public static final Access WEBHOOKS = Access.roles(ADMIN).orScopes(Scopes.WEBHOOKS_WRITE);
    /** The webhook event catalogue: public knowledge for any reader. */
    public static final Access WEBHOOK_CATALOGUE = Access.roles(ADMIN, MARKETER, ANALYST)
            .orScopes(Scopes.READ, Scopes.WEBHOOKS_WRITE);

    private static final HttpMethod GET = HttpMethod.GET;
    private static final HttpMethod POST = HttpMethod.POST;
    private static final HttpMethod PUT = HttpMethod.PUT;
    private static final HttpMethod PATCH = HttpMethod.PATCH;
    private static final HttpMethod DELETE = HttpMethod.DELETE;

    public static final List<Rule> RULES = List.of(
            // identity
            new Rule(POST, "/api/auth/register", Access.PUBLIC),
            new Rule(POST, "/api/auth/login", Access.PUBLIC),
            new Rule(POST, "/api/auth/refresh", Access.PUBLIC),
            new Rule(POST, "/api/auth/logout", Access.PUBLIC),
            new Rule(GET, "/api/me", Access.AUTHENTICATED),
            new Rule(GET, "/api/users", ADMIN_ONLY),
            new Rule(PUT, "/api/users/{id}/roles", ADMIN_ONLY),
            new Rule(POST, "/api/users/{id}/deactivate", ADMIN_ONLY),
            new Rule(POST, "/api/users/{id}/activate", ADMIN_ONLY),
            new Rule(GET, "/api/users/invitations", ADMIN_ONLY),
            new Rule(POST, "/api/users/invitations", ADMIN_ONLY),
            new Rule(DELETE, "/api/users/invitations/{id}", ADMIN_ONLY),
            new Rule(GET, "/api/api-keys", ADMIN_ONLY),
            new Rule(POST, "/api/api-keys", ADMIN_ONLY),
            new Rule(DELETE, "/api/api-keys/{id}", ADMIN_ONLY),
            // campaigns
            new Rule(GET, "/api/campaigns", READ),
            new Rule(GET, "/api/campaigns/{id}", READ),
            new Rule(GET, "/api/campaigns/{id}/history", READ),
            new Rule(GET, "/api/campaigns/{id}/progress", READ),
            new Rule(GET, "/api/campaigns/{id}/progress/stream", READ),
            new Rule(GET, "/api/campaigns/{id}/report", READ),
            new Rule(GET, "/api/campaigns/{id}/deliveries", READ),
            new Rule(GET, "/api/failures", READ),
            new Rule(GET, "/api/failures/stream", READ),
            new Rule(GET, "/api/stats/deliveries", READ),
            new Rule(POST, "/api/campaigns", CAMPAIGN_WRITE),
            new Rule(PUT, "/api/campaigns/{id}", CAMPAIGN_WRITE),
            new Rule(POST, "/api/campaigns/{id}/schedule", CAMPAIGN_WRITE),
            new Rule(POST, "/api/campaigns/{id}/pause", CAMPAIGN_WRITE),
            new Rule(POST, "/api/campaigns/{id}/resume", CAMPAIGN_WRITE),
            new Rule(POST, "/api/campaigns/{id}/cancel", CAMPAIGN_WRITE),
            new Rule(POST, "/api/campaigns/{id}/duplicate", CAMPAIGN_WRITE),
            new Rule(POST, "/api/campaigns/{id}/launch", CAMPAIGN_LAUNCH),
            // templates
            new Rule(POST, "/api/templates/preview", READ),
            // contacts
            new Rule(GET, "/api/contacts", READ),
            new Rule(GET, "/api/contacts/{id}", READ),
            new Rule(GET, "/api/contacts/{id}/timeline", READ),
            new Rule(GET, "/api/contacts/{id}/flow-runs", READ),
            new Rule(POST, "/api/contacts", CONTACT_WRITE),
            new Rule(PATCH, "/api/contacts/{id}", CONTACT_WRITE),
            new Rule(POST, "/api/contacts/{id}/consent", CONTACT_WRITE),
            new Rule(POST, "/api/contacts/imports", CONTACT_WRITE),
            new Rule(GET, "/api/contacts/imports/{id}", READ),
            new Rule(GET, "/api/contacts/imports/{id}/stream", READ),
            new Rule(GET, "/api/contacts/imports/{id}/rejections.csv", READ),
            // event tracking (the ingestion API); Segment's HTTP API: the write key (an API key) as the Basic
            // username or in the body; every path also with a trailing slash, as Segment serves them
            new Rule(POST, "/api/track", EVENTS_WRITE),
            new Rule(POST, "/api/track/batch", EVENTS_WRITE),
            new Rule(GET, "/api/tracking/event-names", READ),
            new Rule(POST, "/api/identify", EVENTS_WRITE),
            new Rule(POST, "/v1/track", EVENTS_WRITE),
            new Rule(POST, "/v1/track/", EVENTS_WRITE),
            new Rule(POST, "/v1/identify", EVENTS_WRITE),
            new Rule(POST, "/v1/identify/", EVENTS_WRITE),
            new Rule(POST, "/v1/page", EVENTS_WRITE),
            new Rule(POST, "/v1/page/", EVENTS_WRITE),
            new Rule(POST, "/v1/screen", EVENTS_WRITE),
            new Rule(POST, "/v1/screen/", EVENTS_WRITE),
            new Rule(POST, "/v1/group", EVENTS_WRITE),
            new Rule(POST, "/v1/group/", EVENTS_WRITE),
            new Rule(POST, "/v1/alias", EVENTS_WRITE),
            new Rule(POST, "/v1/alias/", EVENTS_WRITE),
            new Rule(POST, "/v1/batch", EVENTS_WRITE),
            new Rule(POST, "/v1/batch/", EVENTS_WRITE),
            new Rule(POST, "/v1/import", EVENTS_WRITE),
            new Rule(POST, "/v1/import/", EVENTS_WRITE),
            // segments
            new Rule(GET, "/api/segments", READ),
            new Rule(GET, "/api/segments/{id}", READ),
            new Rule(GET, "/api/segments/{id}/history", READ),
            new Rule(GET, "/api/segments/{id}/members", READ),
            new Rule(POST, "/api/segments/preview", READ),
            new Rule(POST, "/api/segments", MARKETING_WRITE),
            new Rule(PUT, "/api/segments/{id}", MARKETING_WRITE),
            new Rule(DELETE, "/api/segments/{id}", MARKETING_WRITE),
            // flows (definitions)
            new Rule(GET, "/api/messaging-policy", READ),
            new Rule(PUT, "/api/messaging-policy", MARKETING_WRITE),
            new Rule(GET, "/api/flows", READ),
            new Rule(GET, "/api/flows/{id}", READ),
            new Rule(GET, "/api/flows/{id}/versions/{version}", READ),
            new Rule(GET, "/api/flows/{id}/history", READ),
            new Rule(GET, "/api/flows/{id}/runs", READ),
            new Rule(GET, "/api/flows/{id}/stats", READ),
            new Rule(POST, "/api/flows/{id}/runs/move", FLOW_WRITE),
            new Rule(GET, "/api/flows/{id}/stats/stream", READ),
            new Rule(POST, "/api/flows", FLOW_WRITE),
            new Rule(PUT, "/api/flows/{id}/draft", FLOW_WRITE),
            new Rule(PUT, "/api/flows/{id}/versions/{version}", FLOW_WRITE),
            new Rule(POST, "/api/flows/{id}/publish", FLOW_WRITE),
            new Rule(POST, "/api/flows/{id}/activate", FLOW_WRITE),
            new Rule(POST, "/api/flows/{id}/pause", FLOW_WRITE),
            new Rule(POST, "/api/flows/{id}/resume", FLOW_WRITE),
            new Rule(POST, "/api/flows/{id}/archive", FLOW_WRITE),
            new Rule(POST, "/api/flows/{id}/stop", FLOW_WRITE),
            new Rule(POST, "/api/flows/{id}/duplicate", FLOW_WRITE),
            new Rule(POST, "/api/flows/{id}/entries", FLOW_ENTER),
            // outgoing webhook subscriptions
            new Rule(GET, "/api/webhooks/event-types", WEBHOOK_CATALOGUE),
            new Rule(GET, "/api/webhooks", WEBHOOKS),
            new Rule(POST, "/api/webhooks", WEBHOOKS),
            new Rule(GET, "/api/webhooks/{id}", WEBHOOKS),
            new Rule(PUT, "/api/webhooks/{id}", WEBHOOKS),
            new Rule(DELETE, "/api/webhooks/{id}", WEBHOOKS),
            new Rule(POST, "/api/webhooks/{id}/rotate-secret", WEBHOOKS),
            new Rule(POST, "/api/webhooks/{id}/test", WEBHOOKS),
            new Rule(GET, "/api/webhooks/{id}/deliveries", WEBHOOKS),
            new Rule(POST, "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver", WEBHOOKS),
            new Rule(POST, "/api/webhooks/{id}/redeliver-failed", WEBHOOKS)
    );

    /**
     * Paths outside {@code /api} that anyone may call: health, API docs, the JWKS, and the unsubscribe
     * link of messages ({@code GET /unsubscribe/{token}} shows a confirmation page, {@code POST} with
     * the page's button or a mail client's RFC 8058 one-click unsubscribes; the signed token is the
     * authorization, and there is no session, so no CSRF token), and the e-mail tracking pixel and link redirects
     * ({@code GET /t/o/{token}}, {@code GET /t/c/{token}}; signed tokens too), and the providers' bounce and
     * complaint webhooks ({@code POST /feedback/ses}, {@code POST /feedback/mailgun}; the provider's signature is the
     * authorization).
     */
    public static final List<String> PUBLIC_PATHS = List.of(
            "/actuator/health", "/actuator/health/**", "/actuator/info",
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
            "/.well-known/jwks.json", "/error",
            "/unsubscribe/{token}",
            "/t/o/{token}", "/t/c/{token}",
            "/feedback/ses", "/feedback/mailgun");

    private EndpointRules() {
    }
}
