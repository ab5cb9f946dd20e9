package io.herald.saga.flow;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.herald.api.contact.ContactPage;
import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactQuery;
import io.herald.api.flow.FlowTrigger;
import io.herald.api.flow.FlowVersionView;
import io.herald.api.segment.ContactMatchesRuleQuery;
import io.herald.api.segment.FindSegmentMembersQuery;
import io.herald.api.segment.RuleMatchView;
import io.herald.api.segment.SegmentRule;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Segment triggers: a contact <i>entering</i> the segment of an ACTIVE flow's segment trigger enters the flow.
 * Membership changes are found incrementally: the event-trigger processor marks contacts whose data changed
 * ({@code flow_segment_dirty}: profile, attributes, consent, import rows, tracked events, e-mail opens and clicks); every
 * {@link #EVERY} a recurring task (one instance of a cluster at a time) checks the contacts marked at least
 * {@link #SETTLE} ago against each such flow's segment, one contact at a time with the segment SQL restricted to
 * it, once the contact read model (written by another processor, so it may lag) shows the change's version. A contact that matches and is not among the flow's known members
 * ({@code flow_segment_member}) has entered the segment: it enters the flow (the entry policy decides) and
 * becomes a known member; one that no longer matches leaves the known members, so entering again later counts.
 * When a flow is first seen, the segment's members are written down without entering (they were in it before).
 * Every {@link #SWEEP} (the first time {@link #FIRST_SWEEP} after the activation) the whole segment is compared with
 * the known members: rules relative to time ("no purchase in 30 days", "opened in the last 7 days") move contacts with no change of their own,
 * and whatever a check missed is caught (a change in the 2 s before the trigger processor learnt of the flow).
 */
@Configuration(proxyBeanMethods = false)
class FlowSegmentEntries {

    static final String TASK = "flow-segment-entries";
    static final Duration EVERY = Duration.ofSeconds(5);
    static final Duration SETTLE = Duration.ofSeconds(2);
    static final Duration SWEEP = Duration.ofHours(1);
    /** The first sweep after a flow's members at activation were written down. */
    static final Duration FIRST_SWEEP = Duration.ofSeconds(30);
    /** A changed contact the read model has not shown for this long (deleted meanwhile) is dropped. */
    static final Duration GIVE_UP = Duration.ofMinutes(10);
    private static final int PAGE = 1000;
    private static final Logger log = LoggerFactory.getLogger(FlowSegmentEntries.class);

    @Bean
    RecurringTask<Void> flowSegmentEntriesTask(FlowSegmentEntries.Worker worker) {
        return Tasks.recurring(TASK, FixedDelay.of(EVERY)).execute((instance, context) -> worker.runOnce());
    }

    @Bean
    Worker flowSegmentEntriesWorker(FlowEntries entries, FlowDefinitions definitions, QueryGateway queries,
                                    DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
        return new Worker(entries, definitions, queries, new JdbcTemplate(dataSource),
                          new TransactionTemplate(transactionManager), clock);
    }

    /** The work of one round. */
    static final class Worker {

        private final FlowEntries entries;
        private final FlowDefinitions definitions;
        private final QueryGateway queries;
        private final JdbcTemplate jdbc;
        private final TransactionTemplate transactions;
        private final Clock clock;

        Worker(FlowEntries entries, FlowDefinitions definitions, QueryGateway queries, JdbcTemplate jdbc,
               TransactionTemplate transactions, Clock clock) {
            this.entries = entries;
            this.definitions = definitions;
            this.queries = queries;
            this.jdbc = jdbc;
            this.transactions = transactions;
            this.clock = clock;
        }

        private record Triggered(FlowVersionView version, String segmentId) {
            UUID flowId() {
                return UUID.fromString(version.flowId());
            }
        }

        void runOnce() {
            List<Triggered> flows = flows();
            Instant now = clock.instant();
            for (Triggered flow : flows) {
                List<Timestamp> swept = jdbc.queryForList("select swept_at from flow_segment_flow where flow_id = ?",
                                                          Timestamp.class, flow.flowId());
                if (swept.isEmpty()) {
                    baseline(flow, now);
                } else if (swept.get(0).toInstant().isBefore(now.minus(SWEEP))) {
                    sweep(flow, now);
                }
            }
            checkChanged(flows, now);
        }

        /** The ACTIVE flows whose latest version has a segment trigger. */
        private List<Triggered> flows() {
            return definitions.activeWith(FlowTrigger.SegmentEntry.class).stream()
                    .map(version -> new Triggered(version,
                                                  ((FlowTrigger.SegmentEntry) version.definition().trigger()).segmentId()))
                    .toList();
        }

        /** The segment's members now, page by page (null: the segment is gone). */
        private Set<UUID> members(String segmentId) {
            Set<UUID> members = new HashSet<>();
            for (int page = 0; ; page++) {
                ContactPage contacts = FlowDefinitions.join(queries.query(
                        new FindSegmentMembersQuery(segmentId, page, PAGE), ResponseTypes.instanceOf(ContactPage.class)));
                if (contacts == null) {
                    return null;
                }
                contacts.items().forEach(contact -> members.add(UUID.fromString(contact.id())));
                if (contacts.items().size() < PAGE) {
                    return members;
                }
            }
        }

        /** A flow seen for the first time: its segment's members now are written down; none of them enters. */
        private void baseline(Triggered flow, Instant now) {
            Set<UUID> members = members(flow.segmentId());
            if (members == null) {
                return;
            }
            transactions.executeWithoutResult(status -> {
                // the first sweep comes soon: changes made between the activation and the moment the trigger
                // processor learnt of the flow (it reads the flows every 2 s) were not marked
                jdbc.update("insert into flow_segment_flow (flow_id, segment_id, swept_at) values (?, ?, ?) "
                                    + "on conflict (flow_id) do nothing", flow.flowId(), flow.segmentId(),
                            Timestamp.from(now.minus(SWEEP).plus(FIRST_SWEEP)));
                remember(flow.flowId(), members);
            });
            log.info("Flow {}: {} contacts already in segment {} at its activation (they do not enter)",
                     flow.flowId(), members.size(), flow.segmentId());
        }

        /** The whole segment against the known members: who entered (they enter the flow), who left. */
        private void sweep(Triggered flow, Instant now) {
            Set<UUID> members = members(flow.segmentId());
            if (members == null) {
                return;
            }
            Set<UUID> known = new HashSet<>(jdbc.queryForList("select contact_id from flow_segment_member "
                                                                      + "where flow_id = ?", UUID.class, flow.flowId()));
            Set<UUID> entered = new HashSet<>(members);
            entered.removeAll(known);
            Set<UUID> left = new HashSet<>(known);
            left.removeAll(members);
            entered.forEach(contact -> enter(flow, contact, "found in segment " + flow.segmentId() + " by the sweep"));
            forget(flow.flowId(), left);
            jdbc.update("update flow_segment_flow set swept_at = ? where flow_id = ?", Timestamp.from(now), flow.flowId());
        }

        private record Changed(UUID contactId, Timestamp changedAt, long version) {
        }

        /**
         * The contacts whose data changed, checked against every segment-triggered flow once the contact read model
         * shows the change (it is written by another processor and may lag): a contact whose read model is behind
         * stays marked for the next round; one that never shows up (deleted) is dropped after {@link #GIVE_UP}.
         */
        private void checkChanged(List<Triggered> flows, Instant now) {
            Instant settled = now.minus(SETTLE);
            int done;
            List<Changed> changed;
            do {
                changed = jdbc.query("select contact_id, changed_at, version from flow_segment_dirty "
                                             + "where changed_at <= ? order by changed_at limit ?",
                                     (rs, row) -> new Changed(rs.getObject(1, UUID.class), rs.getTimestamp(2),
                                                              rs.getLong(3)), Timestamp.from(settled), PAGE);
                done = checkPage(flows, changed, now);
            } while (changed.size() == PAGE && done > 0);
        }

        /** One page of changed contacts; how many were checked (or dropped). */
        private int checkPage(List<Triggered> flows, List<Changed> changed, Instant now) {
            int done = 0;
            for (Changed mark : changed) {
                ContactView contact = FlowDefinitions.join(queries.query(
                        new FindContactQuery(mark.contactId().toString()), ResponseTypes.instanceOf(ContactView.class)));
                boolean caughtUp = contact != null && contact.version() >= mark.version();
                if (!caughtUp && mark.changedAt().toInstant().isAfter(now.minus(GIVE_UP))) {
                    continue; // the read model is behind: the next round
                }
                if (caughtUp) {
                    for (Triggered flow : flows) {
                        check(flow, mark.contactId());
                    }
                }
                jdbc.update("delete from flow_segment_dirty where contact_id = ? and changed_at = ?", mark.contactId(),
                            mark.changedAt());
                done++;
            }
            return done;
        }

        private void check(Triggered flow, UUID contact) {
            RuleMatchView match = FlowDefinitions.join(queries.query(
                    new ContactMatchesRuleQuery(contact.toString(), new SegmentRule.Membership(flow.segmentId())),
                    ResponseTypes.instanceOf(RuleMatchView.class)));
            boolean known = Boolean.TRUE.equals(jdbc.queryForObject(
                    "select exists(select 1 from flow_segment_member where flow_id = ? and contact_id = ?)",
                    Boolean.class, flow.flowId(), contact));
            if (match.found() && match.matches() && !known) {
                enter(flow, contact, "entered segment " + flow.segmentId());
            } else if ((!match.found() || !match.matches()) && known) {
                forget(flow.flowId(), Set.of(contact));
            }
        }

        /** Enters the contact (the entry policy decides) and remembers it as a member, in one transaction. */
        private void enter(Triggered flow, UUID contact, String how) {
            transactions.executeWithoutResult(status -> {
                remember(flow.flowId(), Set.of(contact));
                String outcome = entries.enterOnSegment(flow.version(), contact.toString(), how);
                log.debug("Flow {}: contact {} {}: {}", flow.flowId(), contact, how, outcome);
            });
        }

        private void remember(UUID flowId, Set<UUID> contacts) {
            if (contacts.isEmpty()) {
                return;
            }
            jdbc.update(connection -> {
                var statement = connection.prepareStatement(
                        "insert into flow_segment_member (flow_id, contact_id) select ?, c from unnest(?::uuid[]) c "
                                + "on conflict do nothing");
                statement.setObject(1, flowId);
                statement.setArray(2, connection.createArrayOf("uuid", contacts.toArray()));
                return statement;
            });
        }

        private void forget(UUID flowId, Set<UUID> contacts) {
            if (contacts.isEmpty()) {
                return;
            }
            jdbc.update(connection -> {
                var statement = connection.prepareStatement(
                        "delete from flow_segment_member where flow_id = ? and contact_id = any(?)");
                statement.setObject(1, flowId);
                statement.setArray(2, connection.createArrayOf("uuid", contacts.toArray()));
                return statement;
            });
        }
    }
}
