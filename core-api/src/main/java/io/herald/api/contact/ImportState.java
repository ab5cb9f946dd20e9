package io.herald.api.contact;

public enum ImportState {
    RUNNING,
    COMPLETED,
    FAILED
}
