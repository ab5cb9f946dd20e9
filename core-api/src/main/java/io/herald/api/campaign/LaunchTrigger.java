package io.herald.api.campaign;

/** What started a campaign. */
public enum LaunchTrigger {
    /** An operator or API client launched it now. */
    MANUAL,
    /** Its scheduled time came (persistent deadline). */
    SCHEDULE
}
