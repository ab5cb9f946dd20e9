package io.herald.template;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a template sees for one contact, the same for a send and for a preview: the contact's fields
 * ({@code id}, {@code external_id}, {@code email}, {@code phone}, {@code locale}, {@code time_zone}), its
 * {@code attributes} (also at the top level where no field has the name), {@code campaign.id},
 * {@code campaign.name} and {@code unsubscribe_url}.
 */
public final class ContactVariables {

    private ContactVariables() {
    }

    public static Map<String, Object> of(String id, String externalId, String email, String phone, String locale,
                                         String timeZone, Map<String, Object> attributes, String campaignId,
                                         String campaignName, String unsubscribeUrl) {
        Map<String, Object> variables = new LinkedHashMap<>();
        if (attributes != null) {
            variables.putAll(attributes);
        }
        variables.put("id", id);
        variables.put("external_id", externalId);
        variables.put("email", email);
        variables.put("phone", phone);
        variables.put("locale", locale);
        variables.put("time_zone", timeZone);
        variables.put("attributes", attributes == null ? Map.of() : attributes);
        Map<String, Object> campaign = new LinkedHashMap<>();
        campaign.put("id", campaignId);
        campaign.put("name", campaignName);
        variables.put("campaign", campaign);
        variables.put("unsubscribe_url", unsubscribeUrl);
        return variables;
    }
}
