package io.herald.gateway.tracking;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.common.DomainException;
import io.herald.api.tracking.IdentifyCommand;
import io.herald.api.tracking.TrackEventsCommand;
import io.herald.api.tracking.TrackedEventInput;
import io.herald.gateway.contact.Queries;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Segment's HTTP Tracking API as it is, so a site or a back end instrumented with one of Segment's
 * libraries sends to Herald by changing only the host. Every path Segment serves, each also with a
 * trailing slash: {@code /v1/track}, {@code /v1/identify}, {@code /v1/page} and {@code /v1/screen}
 * (stored as "Page Viewed" / "Screen Viewed" events), {@code /v1/group}, {@code /v1/alias} (links
 * its {@code previousId} as an anonymous id of the contact {@code userId}, like an identify carrying
 * both ids), {@code /v1/batch} and its older name {@code /v1/import}. Until Herald has accounts,
 * {@code group} keeps the group on the contact: {@code groupId} and the group's traits become the
 * attributes {@code group.id}, {@code group.<trait>}. The write key is an API key with
 * {@code events:write}, sent as the HTTP Basic username or as {@code writeKey} in the body. Bodies
 * are read leniently (Segment's libraries add {@code context}, {@code integrations},
 * {@code _metadata} …); gzip bodies arrive here decompressed ({@code BodySizeLimitFilter}).
 * Timestamps are corrected for the client's clock like Segment does:
 * {@code timestamp = receivedAt - (sentAt - originalTimestamp)}. Every stored call is answered
 * 200 {@code {"success": true}}, the answer Segment's libraries expect.
 */
@RestController
class SegmentCompatibilityController {

    private static final Map<String, Object> SUCCESS = Map.of("success", true);

    private final CommandGateway commandGateway;
    private final ObjectMapper lenient;

    SegmentCompatibilityController(CommandGateway commandGateway, ObjectMapper objectMapper) {
        this.commandGateway = commandGateway;
        this.lenient = objectMapper.copy()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    @PostMapping(value = {"/v1/track", "/v1/track/"}, consumes = MediaType.ALL_VALUE)
    ResponseEntity<Map<String, Object>> track(@RequestBody byte[] body) {
        TrackedEventInput input = trackLike(read(body), "track", null, Instant.now(), "");
        Queries.sendRetrying(commandGateway, new TrackEventsCommand(List.of(input), "segment", null));
        return ResponseEntity.ok(SUCCESS);
    }

    @PostMapping(value = {"/v1/page", "/v1/page/", "/v1/screen", "/v1/screen/"}, consumes = MediaType.ALL_VALUE)
    ResponseEntity<Map<String, Object>> page(@RequestBody byte[] body, HttpServletRequest request) {
        String type = request.getRequestURI().contains("/screen") ? "screen" : "page";
        TrackedEventInput input = trackLike(read(body), type, null, Instant.now(), "");
        Queries.sendRetrying(commandGateway, new TrackEventsCommand(List.of(input), "segment", null));
        return ResponseEntity.ok(SUCCESS);
    }

    @PostMapping(value = {"/v1/identify", "/v1/identify/"}, consumes = MediaType.ALL_VALUE)
    ResponseEntity<Map<String, Object>> identify(@RequestBody byte[] body) {
        IdentifyCommand identify = identifyCommand(read(body), null, Instant.now(), "");
        if (identify != null) {
            Queries.sendRetrying(commandGateway, identify);
        }
        return ResponseEntity.ok(SUCCESS);
    }

    @PostMapping(value = {"/v1/group", "/v1/group/"}, consumes = MediaType.ALL_VALUE)
    ResponseEntity<Map<String, Object>> group(@RequestBody byte[] body) {
        IdentifyCommand group = groupCommand(read(body), null, Instant.now(), "");
        if (group != null) {
            Queries.sendRetrying(commandGateway, group);
        }
        return ResponseEntity.ok(SUCCESS);
    }

    @PostMapping(value = {"/v1/alias", "/v1/alias/"}, consumes = MediaType.ALL_VALUE)
    ResponseEntity<Map<String, Object>> alias(@RequestBody byte[] body) {
        Queries.sendRetrying(commandGateway, aliasCommand(read(body), null, Instant.now(), ""));
        return ResponseEntity.ok(SUCCESS);
    }

    /** A batch of any calls; {@code /v1/import} is its older name, where Segment's Java library posts. */
    @PostMapping(value = {"/v1/batch", "/v1/batch/", "/v1/import", "/v1/import/"}, consumes = MediaType.ALL_VALUE)
    ResponseEntity<Map<String, Object>> batch(@RequestBody byte[] body) {
        JsonNode root = read(body);
        JsonNode batch = root.get("batch");
        if (batch == null || !batch.isArray() || batch.isEmpty() || batch.size() > TrackingController.MAX_BATCH) {
            throw DomainException.invalid("batch", "tracking.batch.size",
                                          "batch holds 1–" + TrackingController.MAX_BATCH + " messages");
        }
        Instant now = Instant.now();
        Instant sentAt = instant(root.get("sentAt"), "sentAt");
        List<TrackedEventInput> events = new ArrayList<>();
        List<IdentifyCommand> identifies = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode message = batch.get(i);
            String at = "batch[" + i + "].";
            String type = text(message.get("type"));
            switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
                case "track", "page", "screen" -> events.add(trackLike(message, type.toLowerCase(Locale.ROOT), sentAt,
                                                                       now, at));
                case "identify" -> {
                    IdentifyCommand identify = identifyCommand(message, sentAt, now, at);
                    if (identify != null) {
                        identifies.add(identify);
                    }
                }
                case "alias" -> identifies.add(aliasCommand(message, sentAt, now, at));
                case "group" -> {
                    IdentifyCommand group = groupCommand(message, sentAt, now, at);
                    if (group != null) {
                        identifies.add(group);
                    }
                }
                default -> throw DomainException.invalid(at + "type", "tracking.type.invalid",
                                                         "type must be track, identify, page, screen, group or alias");
            }
        }
        for (IdentifyCommand identify : identifies) {
            Queries.sendRetrying(commandGateway, identify);
        }
        if (!events.isEmpty()) {
            Queries.sendRetrying(commandGateway, new TrackEventsCommand(events, "segment", "batch"));
        }
        return ResponseEntity.ok(SUCCESS);
    }

    private TrackedEventInput trackLike(JsonNode message, String type, Instant batchSentAt, Instant now, String at) {
        Map<String, Object> properties = map(message.get("properties"));
        String event = text(message.get("event"));
        if ("page".equals(type) || "screen".equals(type)) {
            String name = text(message.get("name"));
            if (name != null) {
                properties.putIfAbsent("name", name);
            }
            event = "page".equals(type) ? "Page Viewed" : "Screen Viewed";
        }
        return new TrackedEventInput(text(message.get("userId")), text(message.get("anonymousId")), event, properties,
                                     timestamp(message, batchSentAt, now, at), text(message.get("messageId")));
    }

    /**
     * Segment's identify. Null for an anonymous visitor's (only an {@code anonymousId}: Segment's libraries
     * send one for traits known before sign-in): Herald keeps traits on contacts only, so it is accepted
     * and not stored, like Segment accepts it, and never refuses the batch it came in.
     */
    private IdentifyCommand identifyCommand(JsonNode message, Instant batchSentAt, Instant now, String at) {
        String userId = text(message.get("userId"));
        if ((userId == null || userId.isBlank()) && text(message.get("anonymousId")) != null
                && !text(message.get("anonymousId")).isBlank()) {
            return null;
        }
        return new IdentifyCommand(userId, text(message.get("anonymousId")),
                                   map(message.get("traits")), timestamp(message, batchSentAt, now, at),
                                   text(message.get("messageId")), "segment");
    }

    /**
     * Segment's group, kept on the contact until Herald has accounts: the traits {@code group.id}
     * (the {@code groupId}) and {@code group.<trait>} for each of the group's traits, merged like an
     * identify's (a later group call's id and traits win, traits it does not send stay). Null for an
     * anonymous visitor's call, which has no contact to keep it on: accepted and not stored.
     */
    private IdentifyCommand groupCommand(JsonNode message, Instant batchSentAt, Instant now, String at) {
        String groupId = text(message.get("groupId"));
        if (groupId == null || groupId.isBlank()) {
            throw DomainException.invalid(at + "groupId", "tracking.group-id.missing",
                                          "group needs a groupId (the group the user belongs to)");
        }
        String userId = text(message.get("userId"));
        if (userId == null || userId.isBlank()) {
            return null;
        }
        Map<String, Object> group = map(message.get("traits"));
        group.put("id", groupId);
        Map<String, Object> traits = new LinkedHashMap<>();
        traits.put("group", group);
        return new IdentifyCommand(userId, text(message.get("anonymousId")), traits,
                                   timestamp(message, batchSentAt, now, at), text(message.get("messageId")), "segment");
    }

    /** Segment's alias: the earlier id ({@code previousId}, usually the anonymous id) is the user's. */
    private IdentifyCommand aliasCommand(JsonNode message, Instant batchSentAt, Instant now, String at) {
        String previousId = text(message.get("previousId"));
        if (previousId == null || previousId.isBlank()) {
            throw DomainException.invalid(at + "previousId", "tracking.previous-id.missing",
                                          "alias needs a previousId (the id to link to userId)");
        }
        return new IdentifyCommand(text(message.get("userId")), previousId, Map.of(),
                                   timestamp(message, batchSentAt, now, at), text(message.get("messageId")), "segment");
    }

    /** Segment's rule: an explicit timestamp wins; else originalTimestamp corrected by the client's clock skew. */
    private static Instant timestamp(JsonNode message, Instant batchSentAt, Instant now, String at) {
        Instant timestamp = instant(message.get("timestamp"), at + "timestamp");
        if (timestamp != null) {
            return timestamp;
        }
        Instant original = instant(message.get("originalTimestamp"), at + "originalTimestamp");
        Instant sentAt = instant(message.get("sentAt"), at + "sentAt");
        if (sentAt == null) {
            sentAt = batchSentAt;
        }
        if (original != null && sentAt != null) {
            return now.minus(Duration.between(original, sentAt));
        }
        return original;
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node);
        return text == null ? null : TrackingController.timestamp(text, field);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new LinkedHashMap<>();
        }
        return new LinkedHashMap<>(lenient.convertValue(node, Map.class));
    }

    private JsonNode read(byte[] body) {
        try {
            JsonNode node = lenient.readTree(body);
            if (node == null || !node.isObject()) {
                throw DomainException.invalid("body", "request.invalid-value", "The request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw DomainException.invalid("body", "request.malformed-json", "The request body is not valid JSON");
        }
    }
}
