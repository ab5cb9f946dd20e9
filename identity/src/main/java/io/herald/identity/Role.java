package io.herald.identity;

/** What an operator may do. */
public enum Role {
    /** Users, API keys, webhooks, settings: everything. */
    ADMIN,
    /** Contacts, segments, campaigns, flows: read and write. */
    MARKETER,
    /** Read-only, analytics. */
    ANALYST
}
