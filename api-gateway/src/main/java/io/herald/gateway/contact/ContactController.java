package io.herald.gateway.contact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.api.common.DomainException;
import io.herald.api.contact.ChangeContactConsentCommand;
import io.herald.api.contact.ContactPage;
import io.herald.api.contact.ContactTimelineView;
import io.herald.api.delivery.DeliveryPage;
import io.herald.api.delivery.FindContactDeliveriesQuery;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.ContactWriteResult;
import io.herald.api.contact.FieldPatch;
import io.herald.api.contact.FindContactQuery;
import io.herald.api.contact.FindContactTimelineQuery;
import io.herald.api.contact.FindContactsQuery;
import io.herald.api.contact.UpdateContactCommand;
import io.herald.api.contact.UpsertContactCommand;
import io.herald.gateway.web.NotFoundException;
import io.herald.gateway.web.WritePath;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Contacts: upsert, change, consent, search, timeline. Commands go through the {@link WritePath}:
 * they answer with the contact as the read model shows it after the change (read-your-writes), or
 * 202 with a Location when the read model did not catch up in time (the change itself is stored);
 * changes to an existing contact honour {@code If-Match}.
 */
@RestController
@Validated
@RequestMapping("/api/contacts")
class ContactController {

    static final String NOT_FOUND = "contact.not-found";
    private static final Pattern UUID_TEXT = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Set<String> PATCH_FIELDS = Set.of("externalId", "email", "phone", "timeZone", "locale",
                                                           "attributes");

    static final WritePath.Resource<ContactView> CONTACTS = new WritePath.Resource<>(
            "/api/contacts", ContactView.class, FindContactQuery::new, ContactView::version,
            ContactController::notFound);

    private final CommandGateway commandGateway;
    private final QueryGateway queryGateway;
    private final ObjectMapper objectMapper;
    private final WritePath writes;

    ContactController(CommandGateway commandGateway, QueryGateway queryGateway, ObjectMapper objectMapper,
                      WritePath writes) {
        this.commandGateway = commandGateway;
        this.queryGateway = queryGateway;
        this.objectMapper = objectMapper;
        this.writes = writes;
    }

    @PostMapping
    ResponseEntity<ContactView> upsert(@Valid @RequestBody ContactRequests.Upsert request) {
        ContactWriteResult result = Queries.sendRetrying(commandGateway, new UpsertContactCommand(
                request.externalId(), request.email(), request.phone(), request.timeZone(), request.locale(),
                request.attributes(), request.consent(), request.consentReason(), "api"));
        return writes.sent(CONTACTS, result.contactId(), result.version(),
                           result.created() ? HttpStatus.CREATED : HttpStatus.OK);
    }

    /**
     * Changes a contact: a field present sets it, present as {@code null} removes it; attributes
     * are merged, {@code null} removing a key.
     */
    @PatchMapping("/{id}")
    ResponseEntity<ContactView> patch(@PathVariable("id") String rawId, @RequestBody JsonNode body,
                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        requireUuid(rawId);
        String id = rawId.toLowerCase(java.util.Locale.ROOT);
        if (!(body instanceof ObjectNode object)) {
            throw DomainException.invalid("body", "request.invalid-value", "The request body must be a JSON object");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PATCH_FIELDS.contains(name)) {
                throw DomainException.invalid(name, "request.unknown-field", "Unknown field '" + name + "'");
            }
        }
        Map<String, Object> attributes = null;
        if (object.has("attributes") && !object.get("attributes").isNull()) {
            if (!object.get("attributes").isObject()) {
                throw DomainException.invalid("attributes", "request.invalid-value", "attributes must be an object");
            }
            attributes = new LinkedHashMap<>();
            for (var entry : object.get("attributes").properties()) {
                attributes.put(entry.getKey(), entry.getValue().isNull() ? null
                        : objectMapper.convertValue(entry.getValue(), Object.class));
            }
        }
        var command = new UpdateContactCommand(id, patch(object, "externalId", 255), patch(object, "email", 320),
                                               patch(object, "phone", 64), patch(object, "timeZone", 64),
                                               patch(object, "locale", 35), attributes);
        return writes.send(CONTACTS, id, command, ifMatch, HttpStatus.OK);
    }

    private static FieldPatch patch(ObjectNode body, String field, int maxLength) {
        if (!body.has(field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (value.isNull()) {
            return FieldPatch.REMOVE;
        }
        if (!value.isTextual()) {
            throw DomainException.invalid(field, "request.invalid-value", field + " must be text or null");
        }
        if (value.asText().length() > maxLength) {
            throw DomainException.invalid(field, "validation.failed", "size must be at most " + maxLength);
        }
        return new FieldPatch(value.asText());
    }

    @PostMapping("/{id}/consent")
    ResponseEntity<ContactView> consent(@PathVariable("id") String rawId,
                                        @Valid @RequestBody ContactRequests.Consent request,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        requireUuid(rawId);
        String id = rawId.toLowerCase(java.util.Locale.ROOT);
        var command = new ChangeContactConsentCommand(id, request.channel(), request.status(), request.reason(), "api");
        return writes.send(CONTACTS, id, command, ifMatch, HttpStatus.OK);
    }

    @GetMapping
    ContactPage list(@RequestParam(required = false) @Size(max = 320) String email,
                     @RequestParam(required = false) @Size(max = 255) String externalId,
                     @RequestParam(required = false) @Size(max = 100) String attribute,
                     @RequestParam(required = false) @Size(max = 1000) String value,
                     @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                     @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        if (value != null && attribute == null) {
            throw DomainException.invalid("value", "contact.search.value-without-attribute",
                                          "value needs attribute (the key to compare)");
        }
        return Queries.join(queryGateway.query(new FindContactsQuery(email, externalId, attribute, value, page, size),
                                               ResponseTypes.instanceOf(ContactPage.class)));
    }

    @GetMapping("/{id}")
    ContactView get(@PathVariable String id) {
        ContactView view = find(id);
        if (view == null) {
            throw notFound(id);
        }
        return view;
    }

    @GetMapping("/{id}/timeline")
    ContactTimelineView timeline(@PathVariable String id,
                                 @RequestParam(required = false) @Min(0) Long after,
                                 @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        requireUuid(id);
        ContactTimelineView timeline = Queries.join(queryGateway.query(
                new FindContactTimelineQuery(id.toLowerCase(), after, limit),
                ResponseTypes.instanceOf(ContactTimelineView.class)));
        if (timeline == null) {
            throw notFound(id);
        }
        if (after != null) {
            return timeline;
        }
        DeliveryPage deliveries = Queries.join(queryGateway.query(
                new FindContactDeliveriesQuery(id.toLowerCase(), 100), ResponseTypes.instanceOf(DeliveryPage.class)));
        return timeline.withDeliveries(deliveries.items());
    }

    private ContactView find(String id) {
        if (!UUID_TEXT.matcher(id).matches()) {
            return null;
        }
        return Queries.join(queryGateway.query(new FindContactQuery(id.toLowerCase()),
                                               ResponseTypes.instanceOf(ContactView.class)));
    }

    private static void requireUuid(String id) {
        if (!UUID_TEXT.matcher(id).matches()) {
            throw notFound(id);
        }
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException(NOT_FOUND, "No contact with id " + id);
    }

    static List<String> copy(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
