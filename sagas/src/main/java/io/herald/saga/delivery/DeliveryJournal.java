package io.herald.saga.delivery;

import io.herald.eventstore.database.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.herald.saga.delivery.Deliveries.Result;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The delivery journal ({@code delivery_journal}): a claim is recorded in the delivery table once, when all
 * of it is done, but before each group of it goes out the worker writes down here which recipients it is
 * about to send, with the outcomes of the group before. So a worker killed mid-claim leaves behind at most
 * the one group it was sending (per sender); what it had finished is read back from here by the survivor
 * that settles it, and what it had not reached yet is given back to the queue. One short insert per group;
 * a claim's entries are deleted in the transaction that records it. Callers own the transactions.
 */
@Component
public class DeliveryJournal {

    private static final TypeReference<List<Result>> RESULTS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeliveryJournal(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** Writes down a claim's recipients (step 0, in the claim's transaction). */
    void claimed(String workerId, UUID claimId, String campaignId, List<String> claimed) {
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(
                    "insert into delivery_journal (worker_id, claim_id, step, campaign_id, claimed, attempting, finished, "
                            + "written_at) values (?, ?, 0, ?, ?, '{}', '[]', ?)");
            statement.setString(1, workerId);
            statement.setObject(2, claimId);
            statement.setString(3, campaignId);
            statement.setArray(4, connection.createArrayOf("uuid", claimed.stream().map(UUID::fromString).toArray()));
            statement.setTimestamp(5, Timestamp.from(clock.instant()));
            return statement;
        });
    }

    /** Writes down the group a worker is about to send (step 1, 2, ...), with the outcomes of the group before. */
    void write(String workerId, UUID claimId, int step, String campaignId, List<String> attempting,
               List<Result> finished) {
        String json = Json.write(finished);
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(
                    "insert into delivery_journal (worker_id, claim_id, step, campaign_id, attempting, finished, "
                            + "written_at) values (?, ?, ?, ?, ?, ?::jsonb, ?)");
            statement.setString(1, workerId);
            statement.setObject(2, claimId);
            statement.setInt(3, step);
            statement.setString(4, campaignId);
            statement.setArray(5, connection.createArrayOf("uuid",
                                                           attempting.stream().map(UUID::fromString).toArray()));
            statement.setString(6, json);
            statement.setTimestamp(7, Timestamp.from(clock.instant()));
            return statement;
        });
    }

    /** Deletes a claim's entries (in the transaction that records the claim). */
    void clear(String workerId, UUID claimId) {
        jdbc.update("delete from delivery_journal where worker_id = ? and claim_id = ?", workerId, claimId);
    }

    /** Deletes every entry of a worker (once a survivor settled it). */
    void clearWorker(String workerId) {
        jdbc.update("delete from delivery_journal where worker_id = ?", workerId);
    }

    /**
     * What a worker's journal says about one of its claims: the outcomes it wrote down, the recipients it was
     * sending (attempted, no outcome written down: they may or may not have gone out), and those it had not
     * reached (claimed, never attempted).
     */
    public record ClaimState(UUID claimId, String campaignId, List<Result> finished, Set<String> underWay,
                             Set<String> notReached) {
    }

    /** A worker's claims as its journal has them, in the order they were written. */
    List<ClaimState> claims(String workerId) {
        Map<UUID, String> campaigns = new LinkedHashMap<>();
        Map<UUID, List<Result>> finished = new LinkedHashMap<>();
        Map<UUID, Set<String>> claimed = new LinkedHashMap<>();
        Map<UUID, Set<String>> attempted = new LinkedHashMap<>();
        jdbc.query("select claim_id, campaign_id, claimed, attempting, finished::text from delivery_journal "
                           + "where worker_id = ? order by claim_id, step", rs -> {
            UUID claim = rs.getObject(1, UUID.class);
            campaigns.put(claim, rs.getString(2));
            addAll(claimed.computeIfAbsent(claim, c -> new LinkedHashSet<>()), rs.getArray(3));
            addAll(attempted.computeIfAbsent(claim, c -> new LinkedHashSet<>()), rs.getArray(4));
            finished.computeIfAbsent(claim, c -> new ArrayList<>()).addAll(read(rs.getString(5)));
        }, workerId);
        List<ClaimState> claims = new ArrayList<>();
        for (Map.Entry<UUID, String> claim : campaigns.entrySet()) {
            List<Result> results = finished.get(claim.getKey());
            Set<String> underWay = new LinkedHashSet<>(attempted.get(claim.getKey()));
            results.forEach(result -> underWay.remove(result.contactId()));
            Set<String> notReached = new LinkedHashSet<>(claimed.get(claim.getKey()));
            notReached.removeAll(attempted.get(claim.getKey()));
            claims.add(new ClaimState(claim.getKey(), claim.getValue(), List.copyOf(results), underWay, notReached));
        }
        return claims;
    }

    private static void addAll(Set<String> ids, Array array) throws java.sql.SQLException {
        if (array != null) {
            for (Object id : (Object[]) array.getArray()) {
                ids.add(id.toString());
            }
        }
    }

    private static List<Result> read(String json) {
        try {
            return Json.MAPPER.readValue(json, RESULTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An unreadable delivery journal entry: " + e.getOriginalMessage(), e);
        }
    }
}
