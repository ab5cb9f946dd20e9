package io.herald.identity;

import java.util.List;

/** What an API key may do. */
public final class Scopes {

    public static final String EVENTS_WRITE = "events:write";
    public static final String CONTACTS_WRITE = "contacts:write";
    public static final String CAMPAIGNS_WRITE = "campaigns:write";
    public static final String CAMPAIGNS_LAUNCH = "campaigns:launch";
    public static final String FLOWS_WRITE = "flows:write";
    public static final String FLOWS_ENTER = "flows:enter";
    public static final String READ = "read";
    /** Outgoing webhook subscriptions: manage them and read their deliveries (what the n8n Trigger node uses). */
    public static final String WEBHOOKS_WRITE = "webhooks:write";

    public static final List<String> ALL = List.of(EVENTS_WRITE, CONTACTS_WRITE, CAMPAIGNS_WRITE, CAMPAIGNS_LAUNCH, FLOWS_WRITE,
                                                     FLOWS_ENTER, READ, WEBHOOKS_WRITE);

    private Scopes() {
    }
}
