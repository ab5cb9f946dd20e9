package io.herald.api.flow;

import java.time.Instant;
import java.util.List;

/**
 * A flow's run statistics, counted from its runs and their decision logs (of one version, or of all: node ids are
 * stable across versions).
 *
 * @param runs  the runs by state
 * @param nodes per node of the definition (the version asked for, else the latest) and any other node runs were at
 * @param edges per edge runs left a node by: the node, the field naming the next node ({@code next}, {@code trueNext},
 *              {@code falseNext}, {@code timeoutNext}, {@code paths[i].next}) and that node in the definition
 * @param at    when the counts were taken
 */
public record FlowStatsView(String flowId, Integer version, Runs runs, List<NodeStats> nodes, List<EdgeStats> edges,
                            Instant at) {

    public record Runs(long total, long active, long waiting, long completed, long exited, long stopped) {
    }

    /**
     * @param entered    runs that reached the node (a run looping through it counts each time)
     * @param inNode     live runs at the node now (waiting there, or being moved on)
     * @param passed     runs that went on from it
     * @param sent       send and webhook nodes: sent
     * @param failed     send and webhook nodes: failed for good
     * @param skipped    send nodes: skipped (no address, no consent)
     * @param unknown    send nodes: outcome unknown (e-mail/SMS whose worker died mid-send)
     */
    public record NodeStats(String nodeId, String type, long entered, long inNode, long passed, long sent, long failed,
                            long skipped, long unknown) {
    }

    public record EdgeStats(String from, String field, String to, long count) {
    }
}
