package io.herald.gateway.role;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one Herald process does ({@code herald.role}, {@code HERALD_ROLE}). Every role runs the same
 * jar against the same database; the role only decides which parts run.
 * <ul>
 *   <li>{@code all} (the default): everything in one process, as on a laptop.</li>
 *   <li>{@code api}: HTTP (API, dashboard, live streams) and the command side with the projections that
 *   command responses wait for (read-your-writes); no delivery worker, no import worker, and its saga
 *   processors claim no segments.</li>
 *   <li>{@code worker}: processors, sagas, delivery, imports and scheduled tasks; on HTTP only
 *   {@code /actuator/health} and the other actuator endpoints.</li>
 *   <li>{@code migrate}: applies the database migrations and exits (0 when they are applied).</li>
 * </ul>
 */
public enum HeraldRole {
    ALL, API, WORKER, MIGRATE;

    public static final String PROPERTY = "herald.role";
    /** The switch of the import worker (command side's {@code ContactImportWorker}). */
    public static final String IMPORT_WORKER = "herald.imports.worker.enabled";
    /** The switch of the delivery worker (the sagas' {@code DeliveryWorker}). */
    public static final String DELIVERY_WORKER = "herald.delivery.worker.enabled";
    /** The switch of the flow worker (the sagas' {@code FlowWorker}). */
    public static final String FLOW_WORKER = "herald.flow.runtime.enabled";
    /** The switch of the webhook sender (the sagas' {@code WebhookSender}). */
    public static final String WEBHOOK_SENDER = "herald.webhooks.sender-enabled";

    /** Reads a role; blank is {@code all}; anything else stops the start with a message naming the setting. */
    public static HeraldRole parse(String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return ALL;
        }
        for (HeraldRole role : values()) {
            if (role.value().equals(text)) {
                return role;
            }
        }
        throw new IllegalStateException(PROPERTY + " (HERALD_ROLE) is "
                + Arrays.stream(values()).map(HeraldRole::value).collect(Collectors.joining(", "))
                + ", not '" + value + "'");
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The settings this role decides: they take precedence over the same switches given on their own
     * ({@code HERALD_DELIVERY_WORKER_ENABLED}, {@code HERALD_IMPORTS_WORKER_ENABLED}, {@code HERALD_FLOW_RUNTIME_ENABLED}). {@code all} decides
     * nothing, so there the switches work one by one.
     */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        switch (this) {
            case ALL -> {
            }
            case API -> {
                settings.put(DELIVERY_WORKER, "false");
                settings.put(IMPORT_WORKER, "false");
                settings.put(FLOW_WORKER, "false");
                settings.put(WEBHOOK_SENDER, "false");
            }
            case WORKER -> {
                settings.put(DELIVERY_WORKER, "true");
                settings.put(IMPORT_WORKER, "true");
                settings.put(FLOW_WORKER, "true");
                settings.put(WEBHOOK_SENDER, "true");
            }
            case MIGRATE -> {
                settings.put(DELIVERY_WORKER, "false");
                settings.put(IMPORT_WORKER, "false");
                settings.put(FLOW_WORKER, "false");
                settings.put(WEBHOOK_SENDER, "false");
                settings.put("spring.main.web-application-type", "none");
            }
        }
        return settings;
    }

    /** True when this process runs the sagas' processors (claims their segments). */
    public boolean runsSagas() {
        return this == ALL || this == WORKER;
    }

    /** True when this process serves the API and the dashboard over HTTP. */
    public boolean servesApi() {
        return this == ALL || this == API;
    }
}
