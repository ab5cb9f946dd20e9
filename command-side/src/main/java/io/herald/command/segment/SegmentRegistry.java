package io.herald.command.segment;

import io.herald.api.common.DomainException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The command side's lookups about segments (tables {@code segment_registry},
 * {@code segment_reference}, {@code segment_campaign_usage}), used in the transaction of the command
 * that depends on them. A reference to a segment takes a share lock on its registry row and a
 * delete an exclusive one, so "delete while something starts using it" cannot slip through.
 */
@Component
public class SegmentRegistry implements SegmentDirectory {

    private static final java.util.regex.Pattern UUID_TEXT = java.util.regex.Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    /** Campaign statuses in which a campaign uses its segment (a delete is refused). */
    static final List<String> ACTIVE = List.of("SCHEDULED", "RUNNING", "PAUSED");

    private final JdbcTemplate jdbc;

    public SegmentRegistry(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public void requireExists(String segmentId, String field) {
        if (segmentId == null) {
            return;
        }
        if (!UUID_TEXT.matcher(segmentId).matches() || jdbc.queryForList(
                "select segment_id from segment_registry where segment_id = ? for share", String.class,
                UUID.fromString(segmentId)).isEmpty()) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, UNKNOWN_SEGMENT,
                                      "No segment with id " + segmentId, field, Map.of("segmentId", segmentId));
        }
    }

    /**
     * Checks that every campaign the rules' engagement nodes name exists (campaigns are never deleted; the table
     * has a row per campaign from its creation, written in the creating command's transaction); the error names
     * the path of the first node that names an unknown one.
     */
    @Override
    public void requireCampaigns(Map<String, String> campaignPaths) {
        if (campaignPaths.isEmpty()) {
            return;
        }
        List<String> known = jdbc.queryForList("select campaign_id from segment_campaign_usage where campaign_id = any(?)",
                                               String.class, (Object) campaignPaths.keySet().toArray(String[]::new));
        for (Map.Entry<String, String> campaign : campaignPaths.entrySet()) {
            if (!known.contains(campaign.getKey())) {
                throw io.herald.api.segment.SegmentRules.unknownCampaign(campaign.getKey(), campaign.getValue());
            }
        }
    }

    /**
     * Checks that every referenced segment exists (locking it) and that referring to them from
     * {@code segmentId} closes no cycle.
     */
    void checkReferences(String segmentId, Set<String> referenced) {
        if (referenced.isEmpty()) {
            return;
        }
        for (String id : referenced) {
            if (id.equalsIgnoreCase(segmentId)) {
                throw new DomainException(DomainException.Kind.UNPROCESSABLE, "segment.reference.cycle",
                                          "A segment cannot contain itself", "rules",
                                          Map.of("segmentIds", List.of(segmentId)));
            }
            if (!UUID_TEXT.matcher(id).matches() || jdbc.queryForList(
                    "select segment_id from segment_registry where segment_id = ? for share", String.class,
                    UUID.fromString(id)).isEmpty()) {
                throw new DomainException(DomainException.Kind.UNPROCESSABLE, "segment.reference.unknown",
                                          "The rules refer to segment " + id + ", which does not exist", "rules",
                                          Map.of("segmentId", id));
            }
        }
        Boolean cycle = jdbc.queryForObject(
                "with recursive reach(id) as ("
                        + "  select unnest(?::uuid[])"
                        + "  union select r.referenced_id from segment_reference r join reach on r.segment_id = reach.id)"
                        + " select exists(select 1 from reach where id = ?)",
                Boolean.class, uuids(referenced), UUID.fromString(segmentId));
        if (Boolean.TRUE.equals(cycle)) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "segment.reference.cycle",
                                      "The rules refer to a segment that refers back to this one", "rules",
                                      Map.of("segmentIds", List.copyOf(referenced)));
        }
    }

    private static String[] uuids(Collection<String> ids) {
        return ids.stream().map(String::toLowerCase).toArray(String[]::new);
    }

    void register(String segmentId) {
        jdbc.update("insert into segment_registry (segment_id) values (?) on conflict do nothing",
                    UUID.fromString(segmentId));
    }

    void replaceReferences(String segmentId, Set<String> referenced) {
        jdbc.update("delete from segment_reference where segment_id = ?", UUID.fromString(segmentId));
        for (String id : referenced) {
            jdbc.update("insert into segment_reference (segment_id, referenced_id) values (?, ?)",
                        UUID.fromString(segmentId), UUID.fromString(id));
        }
    }

    /** Locks the segment against new users, then lists who uses it: active campaigns and other segments. */
    Usage lockAndFindUsers(String segmentId) {
        jdbc.queryForList("select segment_id from segment_registry where segment_id = ? for update", String.class,
                          UUID.fromString(segmentId));
        List<String> campaigns = jdbc.queryForList(
                "select campaign_id from segment_campaign_usage where segment_id = ? and status = any(?) "
                        + "order by campaign_id", String.class, segmentId.toLowerCase(),
                ACTIVE.toArray(String[]::new));
        List<String> segments = jdbc.queryForList(
                "select segment_id::text from segment_reference where referenced_id = ? order by 1", String.class,
                UUID.fromString(segmentId));
        List<String> flows = jdbc.queryForList(
                "select distinct flow_id from segment_flow_usage where segment_id = ? order by flow_id", String.class,
                segmentId.toLowerCase());
        return new Usage(campaigns, segments, flows);
    }

    void remove(String segmentId) {
        jdbc.update("delete from segment_reference where segment_id = ?", UUID.fromString(segmentId));
        jdbc.update("delete from segment_registry where segment_id = ?", UUID.fromString(segmentId));
    }

    record Usage(List<String> campaignIds, List<String> segmentIds, List<String> flowIds) {

        Usage(List<String> campaignIds, List<String> segmentIds) {
            this(campaignIds, segmentIds, List.of());
        }

        boolean isEmpty() {
            return campaignIds.isEmpty() && segmentIds.isEmpty() && flowIds.isEmpty();
        }
    }

    /**
     * Kept by {@link FlowSegmentUsageTracker} in the transaction of every flow change: the segments a
     * flow's draft ({@code source} draft) or latest published version ({@code source} published) uses.
     */
    void recordFlowSegments(String flowId, String source, Set<String> segmentIds) {
        jdbc.update("delete from segment_flow_usage where flow_id = ? and source = ?", flowId.toLowerCase(), source);
        for (String id : segmentIds) {
            jdbc.update("insert into segment_flow_usage (flow_id, segment_id, source) values (?, ?, ?) "
                                + "on conflict do nothing", flowId.toLowerCase(), id.toLowerCase(), source);
        }
    }

    /** An archived or stopped flow uses no segment any more. */
    void removeFlow(String flowId) {
        jdbc.update("delete from segment_flow_usage where flow_id = ?", flowId.toLowerCase());
    }

    /** Kept by {@link SegmentUsageTracker} in the transaction of every campaign change. */
    void recordCampaign(String campaignId, String segmentId, String status) {
        jdbc.update("insert into segment_campaign_usage (campaign_id, segment_id, status) values (?, ?, ?) "
                            + "on conflict (campaign_id) do update set segment_id = excluded.segment_id, "
                            + "status = coalesce(excluded.status, segment_campaign_usage.status)",
                    campaignId, segmentId == null ? null : segmentId.toLowerCase(), status);
    }

    void recordCampaignSegment(String campaignId, String segmentId) {
        jdbc.update("update segment_campaign_usage set segment_id = ? where campaign_id = ?",
                    segmentId == null ? null : segmentId.toLowerCase(), campaignId);
    }

    void recordCampaignStatus(String campaignId, String status) {
        jdbc.update("update segment_campaign_usage set status = ? where campaign_id = ?", status, campaignId);
    }

    static List<String> lower(Collection<String> ids) {
        List<String> out = new ArrayList<>();
        ids.forEach(id -> out.add(id.toLowerCase()));
        return out;
    }
}
