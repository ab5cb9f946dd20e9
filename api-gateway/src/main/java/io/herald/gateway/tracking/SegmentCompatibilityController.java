package io.herald.gateway.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.api.common.DomainException;
import io.herald.api.tracking.IdentifyCommand;
import io.herald.api.tracking.TrackEventsCommand;
import io.herald.api.tracking.TrackedEventInput;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Segment's HTTP Tracking API as it is, so a site instrumented with a Segment SDK sends to Herald
 * by changing only the host: {@code /v1/track}, {@code /v1/identify}, {@code /v1/batch} (also
 * {@code page} and {@code screen} calls, stored as "Page Viewed" / "Screen Viewed" events; {@code
 * alias} links its {@code previousId} as an anonymous id of the contact {@code userId}, like an
 * identify carrying both ids; {@code group} is accepted and ignored). The write key is an API key with
 * {@code events:write}, sent as the HTTP Basic username. Bodies are read leniently (Segment's SDKs
 * add {@code context}, {@code integrations}, {@code _metadata} …) and may be gzip-compressed.
 * Timestamps are corrected for the client's clock like Segment does:
 * {@code timestamp = receivedAt - (sentAt - originalTimestamp)}.
 */
@RestController
class SegmentCompatibilityController {

    private static final Map<String, Object> SUCCESS = Map.of("success", true);

    private final CommandGateway commandGateway;
    private final ObjectMapper lenient;

    SegmentCompatibilityController(CommandGateway commandGateway, ObjectMapper objectMapper) {
        this.commandGateway = commandGateway;
        this.lenient = objectMapper.copy()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    @PostMapping(value = "/v1/track", consumes = "*/*")
    ResponseEntity<Map<String, Object>> track(@RequestBody byte[] body,
                                              @RequestHeader(value = HttpHeaders.CONTENT_ENCODING, required = false)
                                              String encoding) {
        JsonNode message = read(body, encoding);
        Instant now = Instant.now();
        TrackedEventInput input = trackLike(message, "track", null, now, "");
        io.herald.gateway.contact.Queries.sendRetrying(commandGateway, new TrackEventsCommand(List.of(input), "segment", null));
        return ResponseEntity.ok(SUCCESS);
    }

    @PostMapping(value = {"/v1/page", "/v1/screen"}, consumes = "*/*")
    ResponseEntity<Map<String, Object>> page(@RequestBody byte[] body,
                                             @RequestHeader(value = HttpHeaders.CONTENT_ENCODING, required = false)
                                             String encoding,
                                             jakarta.servlet.http.HttpServletRequest request) {
        JsonNode message = read(body, encoding);
        String type = request.getRequestURI().endsWith("/screen") ? "screen" : "page";
        TrackedEventInput input = trackLike(message, type, null, Instant.now(), "");
        io.herald.gateway.contact.Queries.sendRetrying(commandGateway, new TrackEventsCommand(List.of(input), "segment", null));
        return ResponseEntity.ok(SUCCESS);
    }

    @PostMapping(value = "/v1/identify", consumes = "*/*")
    ResponseEntity<Map<String, Object>> identify(@RequestBody byte[] body,
                                                 @RequestHeader(value = HttpHeaders.CONTENT_ENCODING, required = false)
                                                 String encoding) {
        JsonNode message = read(body, encoding);
        io.herald.gateway.contact.Queries.sendRetrying(commandGateway, identifyCommand(message, null, Instant.now(), ""));
        return ResponseEntity.ok(SUCCESS);
    }

    @PostMapping(value = "/v1/alias", consumes = "*/*")
    ResponseEntity<Map<String, Object>> alias(@RequestBody byte[] body,
                                              @RequestHeader(value = HttpHeaders.CONTENT_ENCODING, required = false)
                                              String encoding) {
        JsonNode message = read(body, encoding);
        io.herald.gateway.contact.Queries.sendRetrying(commandGateway, aliasCommand(message, null, Instant.now(), ""));
        return ResponseEntity.ok(SUCCESS);
    }

    @PostMapping(value = "/v1/batch", consumes = "*/*")
    ResponseEntity<Map<String, Object>> batch(@RequestBody byte[] body,
                                              @RequestHeader(value = HttpHeaders.CONTENT_ENCODING, required = false)
                                              String encoding) {
        JsonNode root = read(body, encoding);
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
                case "identify" -> identifies.add(identifyCommand(message, sentAt, now, at));
                case "alias" -> identifies.add(aliasCommand(message, sentAt, now, at));
                case "group" -> {
                    // accepted, not used by Herald (yet)
                }
                default -> throw DomainException.invalid(at + "type", "tracking.type.invalid",
                                                         "type must be track, identify, page, screen, group or alias");
            }
        }
        for (IdentifyCommand identify : identifies) {
            io.herald.gateway.contact.Queries.sendRetrying(commandGateway, identify);
        }
        if (!events.isEmpty()) {
            io.herald.gateway.contact.Queries.sendRetrying(commandGateway, new TrackEventsCommand(events, "segment", "batch"));
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

    private IdentifyCommand identifyCommand(JsonNode message, Instant batchSentAt, Instant now, String at) {
        return new IdentifyCommand(text(message.get("userId")), text(message.get("anonymousId")),
                                   map(message.get("traits")), timestamp(message, batchSentAt, now, at),
                                   text(message.get("messageId")), "segment");
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

    private JsonNode read(byte[] body, String encoding) {
        try {
            InputStream in = new ByteArrayInputStream(body);
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
                in = new GZIPInputStream(in);
            }
            JsonNode node = lenient.readTree(in);
            if (node == null || !node.isObject()) {
                throw DomainException.invalid("body", "request.invalid-value", "The request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw DomainException.invalid("body", "request.malformed-json", "The request body is not valid JSON");
        }
    }
}
