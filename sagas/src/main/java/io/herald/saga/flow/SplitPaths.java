package io.herald.saga.flow;

import io.herald.api.flow.FlowNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which path of a split a contact takes: a bucket 0–99 from SHA-256 of {@code <contactId>:<nodeId>}, the
 * paths taking consecutive ranges of buckets by their percentages. Sticky and reproducible: the same contact
 * takes the same path at the same node in every run, on every instance, in every version that keeps the
 * node's id and percentages.
 */
final class SplitPaths {

    private SplitPaths() {
    }

    static int bucket(String contactId, String nodeId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((contactId + ":" + nodeId).getBytes(StandardCharsets.UTF_8));
            long value = ByteBuffer.wrap(digest, 0, 8).getLong();
            return (int) Math.floorMod(value, 100L);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static FlowNode.SplitPath choose(FlowNode.Split split, String contactId) {
        int bucket = bucket(contactId, split.id());
        int upTo = 0;
        for (FlowNode.SplitPath path : split.paths()) {
            upTo += path.percent() == null ? 0 : path.percent();
            if (bucket < upTo) {
                return path;
            }
        }
        return split.paths().get(split.paths().size() - 1);
    }
}
