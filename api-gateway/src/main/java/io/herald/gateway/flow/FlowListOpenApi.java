package io.herald.gateway.flow;

import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * What the flow list's totals mean, in the OpenAPI document: {@code FlowSummaryView} is a core-api record, which
 * carries no OpenAPI annotations (core-api depends on no web library).
 */
@Configuration(proxyBeanMethods = false)
class FlowListOpenApi {

    static final Map<String, String> TOTALS = Map.of(
            "contactsInFlow", "Contacts in the flow now: its live runs (ACTIVE or WAITING) of every version",
            "sendsSoFar", "Successful sends of the flow's send and webhook nodes so far, of every version (failed, "
                    + "skipped and unknown outcomes are not counted)");

    @Bean
    OpenApiCustomizer flowListTotals() {
        return openApi -> {
            if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
                return;
            }
            Schema<?> summary = openApi.getComponents().getSchemas().get("FlowSummaryView");
            if (summary == null || summary.getProperties() == null) {
                return;
            }
            TOTALS.forEach((field, description) -> {
                Schema<?> property = summary.getProperties().get(field);
                if (property != null) {
                    property.setDescription(description);
                }
            });
        };
    }
}
