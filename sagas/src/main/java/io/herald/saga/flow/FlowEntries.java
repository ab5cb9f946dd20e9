package io.herald.saga.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.herald.api.common.DomainException;
import io.herald.api.contact.ContactBatchView;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactsByKeysQuery;
import io.herald.api.flow.EnterFlowCommand;
import io.herald.api.flow.FlowDefinition;
import io.herald.api.flow.FlowEntrant;
import io.herald.api.flow.FlowEntryPolicy;
import io.herald.api.flow.FlowEntryResult;
import io.herald.api.flow.FlowNode;
import io.herald.api.flow.FlowNotActiveException;
import io.herald.api.flow.FlowStatus;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.flow.FlowView;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Entries by API ({@link EnterFlowCommand}): only an ACTIVE flow takes them, into its latest published version.
 * The entry policy holds under concurrency through the database ({@link FlowRunStore#enter}): one live run per
 * contact (or per de-duplication key), re-entry never or after N days. A call with an Idempotency-Key is
 * answered once; a repeat (or a concurrent twin, which waits for the first) gets the first call's answer.
 */
@Component
class FlowEntries {

    static final String DEDUP_KEY_REQUIRED = "flow.entry.dedup-key-required";
    static final String CONTACT_INVALID = "flow.entry.contact-invalid";
    static final String KEY_REUSED = "flow.entries.idempotency-key-reused";
    static final String NOT_FOUND = "flow.not-found";

    private final FlowRunStore store;
    private final FlowDefinitions definitions;
    private final QueryGateway queries;
    private final TransactionTemplate transactions;
    private final DataSource dataSource;
    private final Clock clock;

    FlowEntries(FlowRunStore store, FlowDefinitions definitions, QueryGateway queries,
                PlatformTransactionManager transactionManager, DataSource dataSource, Clock clock) {
        this.store = store;
        this.definitions = definitions;
        this.queries = queries;
        this.transactions = new TransactionTemplate(transactionManager);
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @CommandHandler
    FlowEntryResult handle(EnterFlowCommand command) {
        UUID flowId = UUID.fromString(command.flowId());
        List<FlowEntrant> entrants = command.contacts() == null ? List.of() : command.contacts();
        String key = command.idempotencyKey();
        String hash = key == null ? null : hash(command);
        if (key != null) {
            FlowEntryResult earlier = replay(flowId, key, hash);
            if (earlier != null) {
                return earlier;
            }
        }
        FlowView flow = definitions.flow(flowId);
        if (flow == null) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, NOT_FOUND, "No flow with id " + flowId);
        }
        if (flow.status() != FlowStatus.ACTIVE) {
            throw new FlowNotActiveException(flowId.toString(), flow.status());
        }
        FlowVersionView version = definitions.version(flowId, flow.latestVersion());
        FlowDefinition definition = version.definition();
        FlowEntryPolicy policy = definition.entry() == null ? FlowEntryPolicy.DEFAULT : definition.entry();
        boolean perKey = policy.concurrency() == FlowEntryPolicy.Concurrency.PER_DEDUP_KEY;
        Integer reEntryDays = policy.reEntry() == FlowEntryPolicy.ReEntry.AFTER_DAYS ? policy.reEntryAfterDays() : null;
        String entryNode = definition.nodes().stream().filter(FlowNode.Entry.class::isInstance).findFirst()
                .map(FlowNode::id).orElseThrow();
        check(entrants, perKey);
        Map<String, String> resolved = resolve(entrants);
        Instant now = clock.instant();
        FlowEntryResult result = transactions.execute(status -> {
            if (key != null && !store.takeKey(flowId, key, hash, now)) {
                return null; // a concurrent call with the key got there first (and has committed)
            }
            store.rememberFlow(flowId, now);
            List<FlowEntryResult.Item> items = new ArrayList<>();
            int entered = 0;
            int already = 0;
            int window = 0;
            int unknown = 0;
            for (int i = 0; i < entrants.size(); i++) {
                FlowEntrant entrant = entrants.get(i);
                String contactId = resolved.get(lookupKey(entrant));
                if (contactId == null) {
                    items.add(new FlowEntryResult.Item(i, FlowEntryResult.UNKNOWN_CONTACT, null, null));
                    unknown++;
                    continue;
                }
                String dedupKey = perKey ? entrant.dedupKey() : null;
                String entryKey = perKey ? "k:" + dedupKey : "c:" + contactId;
                FlowRunStore.Entry entry = store.enter(flowId, version.version(), UUID.fromString(contactId), entryKey,
                                                       dedupKey, entryNode, command.data(), reEntryDays, now,
                                                       "entered by API");
                String outcome;
                if (entry.entered()) {
                    outcome = FlowEntryResult.ENTERED;
                    entered++;
                } else if (entry.runId() != null) {
                    outcome = FlowEntryResult.ALREADY_IN_FLOW;
                    already++;
                } else {
                    outcome = FlowEntryResult.RE_ENTRY_WINDOW;
                    window++;
                }
                items.add(new FlowEntryResult.Item(i, outcome, contactId,
                                                   entry.runId() == null ? null : entry.runId().toString()));
            }
            FlowEntryResult answer = new FlowEntryResult(flowId.toString(), version.version(), entered, already,
                                                         window, unknown, items, false);
            if (key != null) {
                store.storeAnswer(flowId, key, FlowRunStore.json(answer));
            }
            return answer;
        });
        if (result == null) {
            FlowEntryResult earlier = replay(flowId, key, hash);
            if (earlier == null) {
                throw new IllegalStateException("Idempotency-Key " + key + " taken without an answer");
            }
            return earlier;
        }
        return result;
    }

    /**
     * Enters the contact of a tracked event into an ACTIVE flow whose event trigger it matched (in the event
     * processor's transaction): one live run per contact, or per de-duplication key (the trigger's
     * {@code dedupKey} property of the event, its messageId by default or when the event lacks the property).
     * Returns the outcome ({@link FlowEntryResult#ENTERED}, ...).
     */
    String enterOnEvent(FlowVersionView version, String contactId, String messageId, String eventName,
                        String dedupKey, Map<String, Object> properties) {
        UUID flowId = UUID.fromString(version.flowId());
        FlowDefinition definition = version.definition();
        FlowEntryPolicy policy = definition.entry() == null ? FlowEntryPolicy.DEFAULT : definition.entry();
        boolean perKey = policy.concurrency() == FlowEntryPolicy.Concurrency.PER_DEDUP_KEY;
        Integer reEntryDays = policy.reEntry() == FlowEntryPolicy.ReEntry.AFTER_DAYS ? policy.reEntryAfterDays() : null;
        String entryNode = definition.nodes().stream().filter(FlowNode.Entry.class::isInstance).findFirst()
                .map(FlowNode::id).orElseThrow();
        Instant now = clock.instant();
        String entryKey = perKey ? "k:" + dedupKey : "c:" + contactId;
        return afterSavepoint(() -> {
            store.rememberFlow(flowId, now);
            FlowRunStore.Entry entry = store.enter(flowId, version.version(), UUID.fromString(contactId), entryKey,
                                                   dedupKey, entryNode, properties, reEntryDays, now,
                                                   "entered on event '" + eventName + "' (messageId " + messageId
                                                           + ")");
            return entry.entered() ? FlowEntryResult.ENTERED
                    : entry.runId() != null ? FlowEntryResult.ALREADY_IN_FLOW : FlowEntryResult.RE_ENTRY_WINDOW;
        });
    }

    /**
     * Enters a contact that entered the segment of the flow's segment trigger ({@link FlowSegmentEntries}), in the
     * caller's transaction; the entry policy decides (one live run per contact; re-entry never or after N days).
     */
    String enterOnSegment(FlowVersionView version, String contactId, String how) {
        UUID flowId = UUID.fromString(version.flowId());
        FlowDefinition definition = version.definition();
        FlowEntryPolicy policy = definition.entry() == null ? FlowEntryPolicy.DEFAULT : definition.entry();
        Integer reEntryDays = policy.reEntry() == FlowEntryPolicy.ReEntry.AFTER_DAYS ? policy.reEntryAfterDays() : null;
        String entryNode = definition.nodes().stream().filter(FlowNode.Entry.class::isInstance).findFirst()
                .map(FlowNode::id).orElseThrow();
        Instant now = clock.instant();
        store.rememberFlow(flowId, now);
        FlowRunStore.Entry entry = store.enter(flowId, version.version(), UUID.fromString(contactId), "c:" + contactId,
                                               null, entryNode, null, reEntryDays, now, how);
        return entry.entered() ? FlowEntryResult.ENTERED
                : entry.runId() != null ? FlowEntryResult.ALREADY_IN_FLOW : FlowEntryResult.RE_ENTRY_WINDOW;
    }

    /**
     * Runs {@code work} in the current transaction (the event processor's) after a savepoint, rolled back to when the
     * work fails: a statement the database refuses leaves the transaction usable, so the processor can park the event
     * ({@link FlowTriggerDeadLetters}) and commit the batch, instead of failing the whole batch again and again.
     * (Spring's nested transactions need savepoints from the JPA dialect, which Hibernate's does not offer; the
     * entry is plain JDBC on the transaction's connection.) Without a transaction: one of its own.
     */
    private <T> T afterSavepoint(Supplier<T> work) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return transactions.execute(status -> work.get());
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            Savepoint savepoint = connection.setSavepoint();
            T result;
            try {
                result = work.get();
            } catch (RuntimeException | Error e) {
                connection.rollback(savepoint);
                throw e;
            }
            connection.releaseSavepoint(savepoint);
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("savepoint of a flow entry on event", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private FlowEntryResult replay(UUID flowId, String key, String hash) {
        FlowRunStore.StoredCall call = store.storedCall(flowId, key);
        if (call == null || call.response() == null) {
            return null;
        }
        if (!call.requestHash().equals(hash)) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, KEY_REUSED,
                                      "Idempotency-Key " + key + " was used for another request to this flow",
                                      null, Map.of("idempotencyKey", key));
        }
        try {
            return FlowRunStore.JSON.readValue(call.response(), FlowEntryResult.class).asReplay();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exactly one of id, external id and e-mail per contact; a de-duplication key where the flow needs one. */
    private static void check(List<FlowEntrant> entrants, boolean perKey) {
        for (int i = 0; i < entrants.size(); i++) {
            FlowEntrant entrant = entrants.get(i);
            String field = "contacts[" + i + "]";
            if (entrant == null) {
                throw DomainException.invalid(field, CONTACT_INVALID, field + ": a contact is required");
            }
            long given = java.util.stream.Stream.of(entrant.contactId(), entrant.externalId(), entrant.email())
                    .filter(v -> v != null && !v.isBlank()).count();
            if (given != 1) {
                throw DomainException.invalid(field, CONTACT_INVALID,
                                              field + ": exactly one of contactId, externalId and email");
            }
            if (perKey && (entrant.dedupKey() == null || entrant.dedupKey().isBlank()
                    || entrant.dedupKey().length() > 300)) {
                throw DomainException.invalid(field + ".dedupKey", DEDUP_KEY_REQUIRED, field
                        + ".dedupKey: this flow admits one run per de-duplication key; give one (1-300 characters)");
            }
        }
    }

    private static String lookupKey(FlowEntrant entrant) {
        if (entrant.contactId() != null && !entrant.contactId().isBlank()) {
            return "id:" + entrant.contactId().strip().toLowerCase(Locale.ROOT);
        }
        if (entrant.externalId() != null && !entrant.externalId().isBlank()) {
            return "ext:" + entrant.externalId().strip();
        }
        return "email:" + entrant.email().strip().toLowerCase(Locale.ROOT);
    }

    /** Lookup key ({@link #lookupKey}) → contact id, for the contacts that exist. */
    private Map<String, String> resolve(List<FlowEntrant> entrants) {
        List<String> ids = new ArrayList<>();
        List<String> externalIds = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (FlowEntrant entrant : entrants) {
            String key = lookupKey(entrant);
            if (key.startsWith("id:")) {
                ids.add(key.substring(3));
            } else if (key.startsWith("ext:")) {
                externalIds.add(key.substring(4));
            } else {
                emails.add(key.substring(6));
            }
        }
        ContactBatchView found = FlowDefinitions.join(queries.query(new FindContactsByKeysQuery(ids, externalIds, emails),
                                                                    ResponseTypes.instanceOf(ContactBatchView.class)));
        Map<String, String> byKey = new HashMap<>();
        for (ContactView contact : found.contacts()) {
            byKey.put("id:" + contact.id(), contact.id());
            if (contact.externalId() != null) {
                byKey.put("ext:" + contact.externalId(), contact.id());
            }
            if (contact.email() != null) {
                byKey.put("email:" + contact.email(), contact.id());
            }
        }
        return byKey;
    }

    private static String hash(EnterFlowCommand command) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contacts", command.contacts());
        body.put("data", command.data());
        return sha256Hex(Objects.requireNonNull(FlowRunStore.json(body)));
    }

    /** The SHA-256 of a text's UTF-8 bytes, in lower-case hex. */
    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
