package io.herald.saga.delivery;

import io.herald.saga.delivery.Deliveries.Recorded;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.herald.saga.delivery.StoreSql.array;

/**
 * The journal of outcomes recorded but not reported yet ({@code delivery_unreported}): one row per batch,
 * its recipients' ids. A batch reports its outcomes (the run's counters and an event) a hundred or so at a
 * time; until then a survivor can find them here if its worker dies. Callers own the transactions.
 */
@Component
public class UnreportedOutcomes {

    private final JdbcTemplate jdbc;
    private final CampaignRuns runs;

    public UnreportedOutcomes(DataSource dataSource, CampaignRuns runs) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.runs = runs;
    }

    /**
     * Notes final outcomes recorded by a batch and not reported yet (counters and event), in the transaction
     * that records them: one row per batch, its recipients' ids appended. If the worker dies before it reports
     * them, the survivor that settles it reports them ({@link DeliveryStore#settleDeadWorker}).
     */
    /** A batch's journal row: batch id, worker id, campaign id and the recipients' ids, from a VALUES or a SELECT. */
    static final String JOURNAL_INTO = "insert into delivery_unreported (batch_id, worker_id, campaign_id, contact_ids) ";

    /** The ids of a batch already journaled are kept, the new ones appended. */
    static final String JOURNAL_APPEND = " on conflict (batch_id) do update "
            + "set contact_ids = delivery_unreported.contact_ids || excluded.contact_ids";

    public void journal(String batchId, String workerId, String campaignId, List<Recorded> recorded) {
        if (recorded.isEmpty()) {
            return;
        }
        Object[] ids = recorded.stream().map(r -> UUID.fromString(r.contactId())).toArray();
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    JOURNAL_INTO + "values (?, ?, ?, ?::uuid[])" + JOURNAL_APPEND);
            statement.setString(1, batchId);
            statement.setString(2, workerId);
            statement.setString(3, campaignId);
            statement.setArray(4, array(connection, "uuid", ids));
            return statement;
        });
    }

    /**
     * Reports a batch's outcomes: those {@code journaled} earlier (only the ones still in its journal: a
     * survivor that settled this worker after its lease ran out has reported the others) and those recorded
     * just now in this transaction ({@code fresh}, never journaled). Counts them into the run's counters and
     * returns them for the event that reports them, in the same transaction.
     */
    public List<Recorded> report(String batchId, String campaignId, List<Recorded> journaled, List<Recorded> fresh) {
        List<Recorded> reported = new ArrayList<>(fresh);
        if (!journaled.isEmpty()) {
            Set<String> kept = new HashSet<>();
            jdbc.query("delete from delivery_unreported where batch_id = ? returning contact_ids", rs -> {
                for (Object id : (Object[]) rs.getArray(1).getArray()) {
                    kept.add(id.toString());
                }
            }, batchId);
            journaled.stream().filter(r -> kept.contains(r.contactId())).forEach(reported::add);
        }
        runs.count(campaignId, reported);
        return reported;
    }
}
