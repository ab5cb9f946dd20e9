package io.herald.query.contact;

import io.herald.eventstore.database.Json;
import io.herald.api.common.MetadataKeys;
import io.herald.api.contact.ContactPage;
import io.herald.api.contact.ContactCreatedEvent;
import io.herald.api.contact.ContactTimelineView;
import io.herald.api.contact.ContactsImportedEvent;
import io.herald.api.contact.ContactBatchView;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactsByIdQuery;
import io.herald.api.contact.FindContactQuery;
import io.herald.api.contact.FindContactTimelineQuery;
import io.herald.api.contact.FindContactsQuery;
import io.herald.eventstore.StoredEvent;
import io.herald.eventstore.StoredEvents;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Contact lookups and searches over the read model, and a contact's timeline from the event store. */
@Component
class ContactQueryHandler {

    static final int MAX_PAGE_SIZE = 200;
    /** Ids one lookup statement reads at most. */
    static final int LOOKUP_PART = 1_000;

    /**
     * A contact's timeline: its own stream, its tracked events, its e-mail opens and clicks and, for an imported
     * contact, its import batch's event, each by an index of its own (aggregate, tracked_event and email_engagement
     * by contact, event id).
     */
    private static final String TIMELINE;

    static {
        String events = StoredEvents.TABLE;
        String columns = StoredEvents.columns("d");
        String position = "d." + StoredEvents.GLOBAL_INDEX;
        String eventId = "d." + StoredEvents.EVENT_ID;
        TIMELINE = "select * from ("
                + " (select " + columns
                + "  from " + events + " d where d." + StoredEvents.AGGREGATE_ID + " = ? and " + position + " > ?"
                + "  order by " + position + " limit ?)"
                + " union all"
                + " (select " + columns
                + "  from tracked_event t join " + events + " d on " + eventId + " = t.event_id::text"
                + "  where t.contact_id = ? and " + position + " > ? order by " + position + " limit ?)"
                // its e-mail opens and clicks (the email-engagement read model)
                + " union all"
                + " (select " + columns
                + "  from email_engagement g join " + events + " d on " + eventId + " = g.event_id::text"
                + "  where g.contact_id = ? and " + position + " > ? order by " + position + " limit ?)"
                // an imported contact's creation is in its import batch's event
                + " union all"
                + " (select " + columns
                + "  from contact c join " + events + " d on " + eventId + " = c.origin_event::text"
                + "  where c.id = ? and " + position + " > ?)"
                + ") e order by " + StoredEvents.GLOBAL_INDEX + " limit ?";
    }

    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    ContactQueryHandler(DataSource dataSource, Serializer serializer) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.serializer = serializer;
    }

    @QueryHandler
    ContactBatchView handle(FindContactsByIdQuery query) {
        List<UUID> ids = query.contactIds().stream().filter(ContactRows::isUuid).map(UUID::fromString).toList();
        List<ContactView> found = new ArrayList<>();
        // every id is answered; the statement reads at most LOOKUP_PART of them at a time
        for (int from = 0; from < ids.size(); from += LOOKUP_PART) {
            List<UUID> part = ids.subList(from, Math.min(ids.size(), from + LOOKUP_PART));
            found.addAll(jdbc.query(connection -> {
                var statement = connection.prepareStatement("select " + ContactRows.COLUMNS
                                                                    + " from contact c where c.id = any(?)");
                // planned per call: a generic plan made while the table was small would scan it whole (KeyLookup)
                statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
                statement.setArray(1, connection.createArrayOf("uuid", part.toArray()));
                return statement;
            }, ContactRows.MAPPER));
        }
        return new ContactBatchView(found);
    }

    /** Contacts by id, external id or e-mail (the flow entries API): each list read in parts of {@code LOOKUP_PART}. */
    @QueryHandler
    ContactBatchView handle(io.herald.api.contact.FindContactsByKeysQuery query) {
        java.util.Map<String, ContactView> found = new java.util.LinkedHashMap<>();
        List<UUID> ids = query.contactIds() == null ? List.of()
                : query.contactIds().stream().filter(ContactRows::isUuid).map(UUID::fromString).distinct().toList();
        lookUp("c.id", "uuid", new ArrayList<>(ids), found);
        lookUp("c.external_id", "text", query.externalIds() == null ? List.of()
                : new ArrayList<>(query.externalIds().stream().filter(java.util.Objects::nonNull).map(String::strip)
                                          .distinct().toList()), found);
        lookUp("c.email", "text", query.emails() == null ? List.of()
                : new ArrayList<>(query.emails().stream().filter(java.util.Objects::nonNull)
                                          .map(e -> e.strip().toLowerCase(java.util.Locale.ROOT)).distinct().toList()),
               found);
        return new ContactBatchView(new ArrayList<>(found.values()));
    }

    private void lookUp(String column, String type, List<Object> keys, java.util.Map<String, ContactView> found) {
        for (int from = 0; from < keys.size(); from += LOOKUP_PART) {
            List<Object> part = keys.subList(from, Math.min(keys.size(), from + LOOKUP_PART));
            jdbc.query(connection -> {
                var statement = connection.prepareStatement("select " + ContactRows.COLUMNS
                                                                    + " from contact c where " + column + " = any(?)");
                statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
                statement.setArray(1, connection.createArrayOf(type, part.toArray()));
                return statement;
            }, ContactRows.MAPPER).forEach(view -> found.putIfAbsent(view.id(), view));
        }
    }

    @QueryHandler
    ContactView handle(FindContactQuery query) {
        if (!ContactRows.isUuid(query.contactId())) {
            return null;
        }
        List<ContactView> views = jdbc.query("select " + ContactRows.COLUMNS + " from contact c where c.id = ?",
                                             ContactRows.MAPPER, UUID.fromString(query.contactId()));
        return views.isEmpty() ? null : views.get(0);
    }

    @QueryHandler
    ContactPage handle(FindContactsQuery query) {
        int size = Math.clamp(query.size(), 1, MAX_PAGE_SIZE);
        int page = Math.max(query.page(), 0);
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (query.email() != null && !query.email().isBlank()) {
            String email = query.email().strip().toLowerCase(java.util.Locale.ROOT);
            if (email.contains("@")) {
                where.append(" and c.email = ?");
                params.add(email);
            } else {
                where.append(" and c.email like ? escape '\\'");
                params.add(likePrefix(email));
            }
        }
        if (query.externalId() != null && !query.externalId().isBlank()) {
            where.append(" and c.external_id = ?");
            params.add(query.externalId().strip());
        }
        if (query.attribute() != null && !query.attribute().isBlank()) {
            if (query.attributeValue() == null) {
                where.append(" and c.attributes ?? ?");
                params.add(query.attribute());
            } else {
                where.append(" and c.attributes @> ?::jsonb");
                params.add(Json.write(Map.of(query.attribute(), jsonValue(query.attributeValue()))));
            }
        }
        long total = jdbc.queryForObject("select count(*) from contact c" + where, Long.class, params.toArray());
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(size);
        pageParams.add((long) page * size);
        List<ContactView> items = jdbc.query("select " + ContactRows.COLUMNS + " from contact c" + where
                                                     + " order by c.id desc limit ? offset ?", ContactRows.MAPPER,
                                             pageParams.toArray());
        return new ContactPage(items, page, size, total, (int) ((total + size - 1) / size));
    }

    /** A value as JSON when it parses as such ({@code 42}, {@code true}, {@code "x"}), else the text itself. */
    static Object jsonValue(String text) {
        try {
            Object value = Json.MAPPER.readValue(text, Object.class);
            return value instanceof Map || value instanceof List ? text : value;
        } catch (Exception e) {
            return text;
        }
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    @QueryHandler
    ContactTimelineView handle(FindContactTimelineQuery query) {
        if (handle(new FindContactQuery(query.contactId())) == null) {
            return null;
        }
        int limit = Math.clamp(query.limit(), 1, 1000);
        long after = query.after() == null ? -1 : query.after();
        UUID contactId = UUID.fromString(query.contactId());
        List<ContactTimelineView.Entry> entries = jdbc.query(
                TIMELINE,
                (rs, row) -> entry(query.contactId(), StoredEvents.ROW_MAPPER.mapRow(rs, row)),
                query.contactId(), after, limit + 1, contactId, after, limit + 1, contactId, after, limit + 1,
                contactId, after, limit + 1);
        Long next = null;
        if (entries.size() > limit) {
            entries = entries.subList(0, limit);
            next = entries.get(limit - 1).position();
        }
        return new ContactTimelineView(query.contactId(), List.copyOf(entries), next);
    }

    @SuppressWarnings("unchecked")
    private ContactTimelineView.Entry entry(String contactId, StoredEvent stored) {
        String payloadType = stored.payloadType();
        String revision = stored.payloadRevision();
        Object event = stored.payload(serializer);
        if (event instanceof ContactsImportedEvent imported) {
            // this contact's part of the batch, shown as the creation it stands for
            ContactCreatedEvent creation = imported.contacts().stream()
                    .filter(contact -> contact.contactId().equals(contactId)).findFirst()
                    .map(imported::creationOf).orElseThrow();
            event = creation;
            payloadType = ContactCreatedEvent.class.getName();
            revision = ContactCreatedEvent.class.getAnnotation(Revision.class).value();
        }
        MetaData meta = stored.metaData(serializer);
        Map<String, Object> fields = Json.MAPPER.convertValue(event, LinkedHashMap.class);
        String name = payloadType.substring(payloadType.lastIndexOf('.') + 1);
        if (name.endsWith("Event")) {
            name = name.substring(0, name.length() - "Event".length());
        }
        return new ContactTimelineView.Entry(stored.position(), name, revision, stored.timestamp(), fields,
                                             (String) meta.get(MetadataKeys.ACTOR),
                                             (String) meta.get(MetadataKeys.CORRELATION_ID));
    }
}
