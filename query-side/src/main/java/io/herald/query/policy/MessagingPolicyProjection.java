package io.herald.query.policy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.herald.api.policy.FindMessagingPolicyQuery;
import io.herald.api.policy.MessagingPolicy;
import io.herald.api.policy.MessagingPolicySetEvent;
import io.herald.api.policy.MessagingPolicyView;
import io.herald.eventstore.database.Json;
import io.herald.query.QuerySideProcessing;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;

/**
 * The messaging policy read model ({@code messaging_policy}, one row), written in the policy command's own
 * transaction: it shares the subscribing group of the flow definitions, so a write answers with the policy as
 * stored and its ETag. Idempotent per event (the row keeps the last sequence applied).
 */
@Component
@ProcessingGroup(QuerySideProcessing.FLOW_DEFINITIONS)
class MessagingPolicyProjection {

    private static final TypeReference<MessagingPolicy> POLICY = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;

    MessagingPolicyProjection(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @EventHandler
    void on(MessagingPolicySetEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("insert into messaging_policy (id, policy, version, updated_at) values (?, ?::jsonb, ?, ?) "
                            + "on conflict (id) do update set policy = excluded.policy, version = excluded.version, "
                            + "updated_at = excluded.updated_at where messaging_policy.version < excluded.version",
                    event.policyId(), Json.write(event.policy()), sequence, java.sql.Timestamp.from(at));
    }

    /** The policy; before it was ever set, {@link MessagingPolicy#NONE} at version -1. */
    @QueryHandler
    MessagingPolicyView handle(FindMessagingPolicyQuery query) {
        List<MessagingPolicyView> found = jdbc.query(
                "select policy::text, version, updated_at from messaging_policy where id = ?",
                (rs, row) -> new MessagingPolicyView(Json.read(rs.getString(1), POLICY), rs.getLong(2),
                                                     rs.getTimestamp(3).toInstant()), query.id());
        if (!found.isEmpty()) {
            return found.get(0);
        }
        return MessagingPolicy.ID.equals(query.id()) ? new MessagingPolicyView(MessagingPolicy.NONE, -1, null) : null;
    }
}
