package io.herald.saga.delivery;

import io.herald.eventstore.database.Json;
import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.Channel;
import io.herald.api.contact.ContactView;
import io.herald.saga.channel.OutboundMessage;
import io.herald.template.ContactVariables;
import io.herald.template.LiquidTemplates;
import io.herald.template.TemplateException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One campaign's content (or one flow send node's), parsed once, turned into a message per recipient.
 * Templates see the contact's fields ({@code id}, {@code email}, {@code phone}, {@code external_id},
 * {@code locale}, {@code time_zone}), its {@code attributes} (also at the top level where no field has the
 * name), {@code campaign.id}, {@code campaign.name} and {@code unsubscribe_url}; a flow's send also sees
 * {@code trigger.*} and {@code flow.*} ({@link #forFlowSend}).
 */
public final class CampaignMessages {

    private static final LiquidTemplates TEMPLATES = new LiquidTemplates();
    private static final java.util.regex.Pattern E164 = java.util.regex.Pattern.compile("\\+[1-9]\\d{6,14}");

    private final String campaignId;
    private final CampaignDefinition campaign;
    private final Channel channel;
    private final CampaignContent content;
    private final LiquidTemplates.Prepared subject;
    private final LiquidTemplates.Prepared text;
    private final LiquidTemplates.Prepared html;
    private final LiquidTemplates.Prepared payload;

    CampaignMessages(String campaignId, CampaignDefinition campaign) {
        this(campaignId, campaign, campaign.channel(), campaign.content());
    }

    private CampaignMessages(String campaignId, CampaignDefinition campaign, Channel channel, CampaignContent content) {
        this.campaignId = campaignId;
        this.campaign = campaign;
        this.channel = channel;
        this.content = content;
        this.subject = prepare(content.subject(), LiquidTemplates.Mode.TEXT);
        this.text = prepare(content.body(), LiquidTemplates.Mode.TEXT);
        this.html = prepare(content.html(), LiquidTemplates.Mode.HTML);
        this.payload = prepare(content.payload(), LiquidTemplates.Mode.JSON);
    }

    private static LiquidTemplates.Prepared prepare(String source, LiquidTemplates.Mode mode) {
        return source == null || source.isEmpty() ? null : TEMPLATES.prepare(source, mode);
    }

    /** What the run sends, as the campaign was at its launch. */
    CampaignDefinition definition() {
        return campaign;
    }

    /**
     * A flow send node's content: the same rendering, checks and unsubscribe links as a campaign's; the
     * message's key and metadata and the extra template variables come with each {@link #render(ContactView,
     * String, String, Map, Map) render}.
     */
    public static CampaignMessages forFlowSend(Channel channel, CampaignContent content) {
        return new CampaignMessages(null, null, channel, content);
    }

    public Channel channel() {
        return channel;
    }

    /** The content as given (its tracking switches among it). */
    public CampaignContent content() {
        return content;
    }

    /** Why the contact cannot be reached on the channel now ({@code no-address}, {@code unsubscribed}, ...), or null. */
    public String skipReason(ContactView contact) {
        if (channel == Channel.EMAIL && contact.email() == null || channel == Channel.SMS && contact.phone() == null) {
            return "no-address";
        }
        if (channel == Channel.SMS && !E164.matcher(contact.phone()).matches()) {
            return "invalid-phone";
        }
        var consent = contact.consent() == null ? null : contact.consent().get(channel);
        if (consent != null && consent.status() != null && !"SUBSCRIBED".equals(consent.status().name())) {
            return consent.status().name().toLowerCase();
        }
        return null;
    }

    /** The message for one contact; throws {@link TemplateException} when a template cannot render for it. */
    OutboundMessage render(ContactView contact, String unsubscribeUrl) {
        return render(contact, unsubscribeUrl, campaignId + ":" + contact.id(),
                      Map.of("campaignId", campaignId, "contactId", contact.id()), Map.of());
    }

    /**
     * The message for one contact with the given Idempotency-Key, metadata (webhook headers) and template variables
     * besides the contact's ({@code trigger}, {@code flow}); throws {@link TemplateException} when a template
     * cannot render for it.
     */
    public OutboundMessage render(ContactView contact, String unsubscribeUrl, String key, Map<String, String> metadata,
                                  Map<String, Object> extra) {
        Map<String, Object> variables = variables(contact, unsubscribeUrl);
        variables.putAll(extra);
        return switch (channel) {
            case EMAIL -> new OutboundMessage(key, contact.email(), render(subject, variables),
                                              render(text, variables), render(html, variables), null,
                                              unsubscribeUrl, metadata);
            case SMS -> new OutboundMessage(key, contact.phone(), null, render(text, variables), null, null,
                                            unsubscribeUrl, metadata);
            case WEBHOOK -> new OutboundMessage(key, content.url(), null, null, null,
                                                payload == null ? defaultPayload(contact, metadata)
                                                        : render(payload, variables),
                                                unsubscribeUrl, metadata);
        };
    }

    private static String render(LiquidTemplates.Prepared template, Map<String, Object> variables) {
        return template == null ? null : template.render(variables);
    }

    private Map<String, Object> variables(ContactView contact, String unsubscribeUrl) {
        return ContactVariables.of(contact.id(), contact.externalId(), contact.email(), contact.phone(),
                                   contact.locale(), contact.timeZone(), contact.attributes(), campaignId,
                                   campaign == null ? null : campaign.name(), unsubscribeUrl);
    }

    /**
     * Without a payload template a webhook receives the campaign (or, for a flow's send, the metadata: flow, node
     * and run) and the contact's fields.
     */
    private String defaultPayload(ContactView contact, Map<String, String> metadata) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (campaign != null) {
            body.put("campaignId", campaignId);
            body.put("campaignName", campaign.name());
        } else {
            new java.util.TreeMap<>(metadata).forEach((name, value) -> {
                if (!"contactId".equals(name)) {
                    body.put(name, value);
                }
            });
        }
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("id", contact.id());
        person.put("externalId", contact.externalId());
        person.put("email", contact.email());
        person.put("phone", contact.phone());
        person.put("attributes", contact.attributes());
        body.put("contact", person);
        return Json.write(body);
    }
}
