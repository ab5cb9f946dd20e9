package io.herald.api.segment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a contact did with an e-mail, for an {@code engagement} rule; in JSON the lower-case name. Each is recorded
 * per delivery in the {@code email_engagement} read model under its {@link #recordedKind()}.
 */
public enum EngagementAction {

    /** The tracking pixel was fetched ({@code EmailOpened}). */
    @JsonProperty("opened")
    OPENED("OPEN"),
    /** A tracked link was followed ({@code LinkClicked}). */
    @JsonProperty("clicked")
    CLICKED("CLICK");

    private final String recordedKind;

    EngagementAction(String recordedKind) {
        this.recordedKind = recordedKind;
    }

    /** The {@code kind} of the rows of {@code email_engagement} this action stands for. */
    public String recordedKind() {
        return recordedKind;
    }

    /** The name in JSON. */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
