package io.herald.query.segment;

import io.herald.api.campaign.Channel;
import io.herald.api.contact.ContactPage;
import io.herald.api.contact.ContactView;
import io.herald.api.segment.FindCampaignRecipientsQuery;
import io.herald.api.segment.FindSegmentAudienceQuery;
import io.herald.api.segment.RecipientPage;
import io.herald.api.segment.FindSegmentHistoryQuery;
import io.herald.api.segment.FindSegmentMembersQuery;
import io.herald.api.segment.PreviewSegmentQuery;
import io.herald.api.segment.SegmentAudienceView;
import io.herald.api.segment.SegmentHistoryView;
import io.herald.api.segment.SegmentPreviewView;
import io.herald.api.segment.SegmentRule;
import io.herald.api.segment.SegmentRules;
import io.herald.api.segment.SegmentView;
import io.herald.query.AggregateHistory;
import io.herald.query.contact.ContactRows;
import io.herald.eventstore.database.Json;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Evaluates segments over the read models: previews of unsaved rules, the members of a stored
 * segment, and the audience a campaign may reach (consent and address on its channel). Each runs
 * in a read-only transaction with a larger {@code work_mem}, so the hash joins of behavioural
 * conditions stay in memory.
 */
@Component
class SegmentQueryHandler {

    static final String AGGREGATE_TYPE = "Segment";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final SegmentProjection definitions;
    private final EventStore eventStore;
    private final Clock clock;

    SegmentQueryHandler(DataSource dataSource, PlatformTransactionManager transactionManager,
                        SegmentProjection definitions, EventStore eventStore, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.definitions = definitions;
        this.eventStore = eventStore;
        this.clock = clock;
    }

    @QueryHandler
    SegmentPreviewView handle(PreviewSegmentQuery query) {
        SegmentRules.validate(query.rules(), "rules");
        requireCampaigns(query.rules());
        long started = System.nanoTime();
        SegmentSqlCompiler.Compiled sql = compile(query.rules(), null);
        int sample = Math.clamp(query.sampleSize(), 0, 100);
        return readOnly.execute(status -> {
            tune();
            long count = count(sql, "");
            List<ContactView> contacts = sample == 0 || count == 0 ? List.of()
                    : select(sql, "", " order by c.id limit " + sample, List.of());
            return new SegmentPreviewView(count, contacts, (System.nanoTime() - started) / 1_000_000);
        });
    }

    /**
     * Whether one contact matches a rule tree now (a flow's branch node): the segment's SQL restricted to
     * that contact.
     */
    @QueryHandler
    io.herald.api.segment.RuleMatchView handle(io.herald.api.segment.ContactMatchesRuleQuery query) {
        if (!ContactRows.isUuid(query.contactId())) {
            return new io.herald.api.segment.RuleMatchView(false, false);
        }
        SegmentRules.validate(query.rule(), "rule");
        SegmentSqlCompiler.Compiled sql = compile(query.rule(), null);
        UUID contactId = UUID.fromString(query.contactId());
        return readOnly.execute(status -> {
            Boolean exists = jdbc.queryForObject("select exists(select 1 from contact c where c.id = ?)",
                                                 Boolean.class, contactId);
            if (!Boolean.TRUE.equals(exists)) {
                return new io.herald.api.segment.RuleMatchView(false, false);
            }
            List<Object> params = new ArrayList<>(sql.params());
            params.add(contactId);
            List<Boolean> match = jdbc.query(sql.with() + "select exists(select 1 from " + sql.from() + " where ("
                                                     + sql.where() + ") and c.id = ?)", setter(params),
                                             (rs, row) -> rs.getBoolean(1));
            return new io.herald.api.segment.RuleMatchView(true, !match.isEmpty() && match.get(0));
        });
    }

    /**
     * Which of several contacts match a rule tree now (a flow's branch node for a batch of runs): the segment's SQL
     * restricted to those contacts, in one statement; the same answer per contact as the one-contact query.
     */
    @QueryHandler
    io.herald.api.segment.RuleMatchesView handle(io.herald.api.segment.ContactsMatchRuleQuery query) {
        Object[] ids = query.contactIds().stream().filter(ContactRows::isUuid).distinct().toArray();
        if (ids.length == 0) {
            return new io.herald.api.segment.RuleMatchesView(List.of(), List.of());
        }
        SegmentRules.validate(query.rule(), "rule");
        SegmentSqlCompiler.Compiled sql = compile(query.rule(), null);
        SegmentSqlCompiler.SqlArray contacts = new SegmentSqlCompiler.SqlArray("uuid", ids);
        return readOnly.execute(status -> {
            List<String> found = jdbc.query("select c.id from contact c where c.id = any(?)",
                                            setter(List.of(contacts)), (rs, row) -> rs.getString(1));
            if (found.isEmpty()) {
                return new io.herald.api.segment.RuleMatchesView(List.of(), List.of());
            }
            List<Object> params = new ArrayList<>(sql.params());
            params.add(contacts);
            List<String> matching = jdbc.query(sql.with() + "select c.id from " + sql.from() + " where ("
                                                       + sql.where() + ") and c.id = any(?)", setter(params),
                                               (rs, row) -> rs.getString(1));
            return new io.herald.api.segment.RuleMatchesView(found, matching);
        });
    }

    /** Whether a tracked event's properties match a flow trigger's filters (the segment conditions, in SQL). */
    @QueryHandler
    io.herald.api.segment.RuleMatchView handle(io.herald.api.segment.EventPropertiesMatchQuery query) {
        List<SegmentRule.PropertyFilter> where = query.where() == null ? List.of() : query.where();
        SegmentSqlCompiler.Compiled sql = SegmentSqlCompiler.properties(where, clock.instant());
        // the conditions' parameters come first in the text, the document (in the from clause) last
        List<Object> params = new ArrayList<>(sql.params());
        params.add(Json.write(query.properties() == null ? Map.of() : query.properties()));
        List<Boolean> match = jdbc.query("select " + sql.where() + " from " + sql.from(), setter(params),
                                         (rs, row) -> rs.getBoolean(1));
        return new io.herald.api.segment.RuleMatchView(true, !match.isEmpty() && match.get(0));
    }

    @QueryHandler
    ContactPage handle(FindSegmentMembersQuery query) {
        SegmentView segment = definitions.find(query.segmentId());
        if (segment == null) {
            return null;
        }
        SegmentSqlCompiler.Compiled sql = compile(segment.rules(), segment.id());
        int size = Math.clamp(query.size(), 1, 200);
        int page = Math.max(query.page(), 0);
        return readOnly.execute(status -> {
            tune();
            long total = count(sql, "");
            List<ContactView> items = select(sql, "", " order by c.id limit ? offset ?",
                                             List.of(size, (long) page * size));
            return new ContactPage(items, page, size, total, (int) ((total + size - 1) / size));
        });
    }

    @QueryHandler
    SegmentAudienceView handle(FindSegmentAudienceQuery query) {
        SegmentView segment = definitions.find(query.segmentId());
        if (segment == null) {
            return null;
        }
        SegmentSqlCompiler.Compiled sql = compile(segment.rules(), segment.id());
        int limit = Math.clamp(query.limit(), 1, 10_000);
        String reachable = reachable(query.channel());
        List<Object> extra = new ArrayList<>();
        String after = "";
        if (query.afterContactId() != null && ContactRows.isUuid(query.afterContactId())) {
            after = " and c.id > ?";
            extra.add(UUID.fromString(query.afterContactId()));
        }
        extra.add(limit);
        String condition = " and " + reachable + after;
        List<String> ids = readOnly.execute(status -> {
            tune();
            List<Object> params = new ArrayList<>(sql.params());
            params.addAll(extra);
            return jdbc.query(sql.with() + "select c.id from " + sql.from() + " where " + sql.where() + condition
                                      + " order by c.id limit ?", setter(params), (rs, row) -> rs.getString(1));
        });
        return new SegmentAudienceView(ids, ids.size() < limit ? null : ids.get(ids.size() - 1));
    }

    @QueryHandler
    RecipientPage handle(FindCampaignRecipientsQuery query) {
        SegmentView segment = definitions.find(query.segmentId());
        if (segment == null) {
            return null;
        }
        SegmentSqlCompiler.Compiled sql = compile(segment.rules(), segment.id());
        int limit = Math.clamp(query.limit(), 1, 50_000);
        List<Object> params = new ArrayList<>(sql.params());
        boolean keyset = query.afterContactId() != null && ContactRows.isUuid(query.afterContactId());
        if (keyset) {
            params.add(UUID.fromString(query.afterContactId()));
        }
        String after = keyset ? " and c.id > ?" : "";
        params.add(limit);
        List<RecipientPage.Recipient> recipients = readOnly.execute(status -> {
            tune();
            return jdbc.query(sql.with() + "select c.id, " + skipReason(query.channel()) + " from " + sql.from()
                                      + " where " + sql.where() + after + " order by c.id limit ?", setter(params),
                              (rs, row) -> new RecipientPage.Recipient(rs.getString(1), rs.getString(2)));
        });
        String next = recipients.size() < limit ? null : recipients.get(recipients.size() - 1).contactId();
        return new RecipientPage(recipients, next, segment.version());
    }

    /** Why a member cannot be reached on the channel (null when it can); the same rule as {@link #reachable}. */
    static String skipReason(Channel channel) {
        String address = switch (channel) {
            case EMAIL -> "when c.email is null then 'no-address' ";
            case SMS -> "when c.phone is null then 'no-address' ";
            case WEBHOOK -> "";
        };
        return "case " + address + "when coalesce(c.consent -> '" + channel.name()
                + "' ->> 'status', 'SUBSCRIBED') <> 'SUBSCRIBED' then lower(c.consent -> '" + channel.name()
                + "' ->> 'status') end";
    }

    /**
     * A contact is reachable on a channel when it has an address there and its consent on it is
     * not UNSUBSCRIBED, BOUNCED or COMPLAINED (no recorded consent counts as subscribed).
     */
    static String reachable(Channel channel) {
        String consent = "coalesce(c.consent -> '" + channel.name() + "' ->> 'status', 'SUBSCRIBED') = 'SUBSCRIBED'";
        return switch (channel) {
            case EMAIL -> "(c.email is not null and " + consent + ")";
            case SMS -> "(c.phone is not null and " + consent + ")";
            case WEBHOOK -> "(" + consent + ")";
        };
    }

    @QueryHandler
    SegmentHistoryView handle(FindSegmentHistoryQuery query) {
        List<AggregateHistory.Entry> entries = AggregateHistory.read(eventStore, query.segmentId(), AGGREGATE_TYPE,
                                                                     Json.MAPPER);
        return entries == null ? null : new SegmentHistoryView(query.segmentId(), entries.stream().map(
                e -> new SegmentHistoryView.Entry(e.sequence(), e.type(), e.revision(), e.at(), e.payload(), e.actor(),
                                                  e.correlationId())).toList());
    }

    /**
     * The campaigns the preview's engagement nodes name must exist, as for a stored segment (422
     * {@value SegmentRules#UNKNOWN_CAMPAIGN} naming the node); campaigns are never deleted, so a stored segment's
     * stay known.
     */
    private void requireCampaigns(SegmentRule rules) {
        Map<String, String> campaigns = SegmentRules.referencedCampaigns(rules, "rules");
        if (campaigns.isEmpty()) {
            return;
        }
        List<String> known = jdbc.query("select id from campaign_summary where id = any(?)",
                                        setter(List.of(new SegmentSqlCompiler.SqlArray(
                                                "varchar", campaigns.keySet().toArray()))),
                                        (rs, row) -> rs.getString(1));
        campaigns.forEach((id, path) -> {
            if (!known.contains(id)) {
                throw SegmentRules.unknownCampaign(id, path);
            }
        });
    }

    private SegmentSqlCompiler.Compiled compile(SegmentRule rules, String selfId) {
        Map<String, SegmentRule> stored = definitions.allRules();
        return SegmentSqlCompiler.compile(rules, stored::get, clock.instant(), selfId);
    }

    /**
     * Segment queries are analytic: behavioural conditions hash-join up to millions of rows (memory
     * for this transaction only), and a count over a large share of the contacts is cheaper split
     * across parallel workers than the planner's defaults assume for an OLTP database.
     */
    private void tune() {
        jdbc.execute("set local work_mem = '64MB'");
        jdbc.execute("set local parallel_setup_cost = 10");
        jdbc.execute("set local parallel_tuple_cost = 0.001");
    }

    /**
     * The number of contacts the rule matches. For a rule over the contact table alone that the
     * planner expects to match more than {@link #BITMAP_SHARE} of the contacts, bitmap scans are off
     * for the count: PostgreSQL then reads the table in parallel instead of visiting nearly every page
     * through the attribute index (1,000,000 contacts, 83,334 matches: 430–600 ms through the index,
     * 240 ms reading the table; 1,000 matches: 16 ms through the index; BENCHMARKS.md).
     */
    private long count(SegmentSqlCompiler.Compiled sql, String extraWhere) {
        String query = sql.with() + "select count(*) from " + sql.from() + " where " + sql.where() + extraWhere;
        boolean broad = sql.with().isEmpty() && CONTACTS_ONLY.equals(sql.from()) && broad(sql, extraWhere);
        if (broad) {
            jdbc.execute("set local enable_bitmapscan = off");
        }
        try {
            return jdbc.query(query, setter(sql.params()), (rs, row) -> rs.getLong(1)).get(0);
        } finally {
            if (broad) {
                jdbc.execute("set local enable_bitmapscan = on");
            }
        }
    }

    static final double BITMAP_SHARE = 0.03;
    private static final String CONTACTS_ONLY = "contact c";
    private static final java.util.regex.Pattern ESTIMATED_ROWS = java.util.regex.Pattern.compile("rows=(\\d+)");

    /** Whether the planner expects the rule to match more than {@link #BITMAP_SHARE} of the contacts. */
    private boolean broad(SegmentSqlCompiler.Compiled sql, String extraWhere) {
        List<String> plan = jdbc.query("explain select 1 from " + sql.from() + " where " + sql.where() + extraWhere,
                                       setter(sql.params()), (rs, row) -> rs.getString(1));
        java.util.regex.Matcher rows = ESTIMATED_ROWS.matcher(plan.isEmpty() ? "" : plan.get(0));
        Long contacts = jdbc.queryForObject(
                "select greatest(reltuples, 0)::bigint from pg_class where oid = 'contact'::regclass", Long.class);
        return rows.find() && contacts != null && contacts > 0
                && Long.parseLong(rows.group(1)) > BITMAP_SHARE * contacts;
    }

    private List<ContactView> select(SegmentSqlCompiler.Compiled sql, String extraWhere, String tail,
                                     List<Object> tailParams) {
        List<Object> params = new ArrayList<>(sql.params());
        params.addAll(tailParams);
        return jdbc.query(sql.with() + "select " + ContactRows.COLUMNS + " from " + sql.from() + " where "
                                  + sql.where() + extraWhere + tail, setter(params), ContactRows.MAPPER);
    }

    private static PreparedStatementSetter setter(List<Object> params) {
        return statement -> bind(statement, params);
    }

    static void bind(PreparedStatement statement, List<Object> params) throws SQLException {
        Connection connection = statement.getConnection();
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            if (value instanceof SegmentSqlCompiler.SqlArray array) {
                String[] texts = new String[array.values().length];
                for (int j = 0; j < texts.length; j++) {
                    texts[j] = String.valueOf(array.values()[j]);
                }
                statement.setArray(i + 1, connection.createArrayOf(array.type(), texts));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
