package io.herald.saga.flow;

import io.herald.api.flow.FlowNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SplitPathsTest {

    private static final FlowNode.Split SPLIT = new FlowNode.Split("ab", List.of(
            new FlowNode.SplitPath("A", 20, "a"), new FlowNode.SplitPath("B", 80, "b")));

    @Test
    void sameContactAndNode_alwaysTakeTheSamePath() {
        for (int i = 0; i < 100; i++) {
            String contact = UUID.randomUUID().toString();
            FlowNode.SplitPath first = SplitPaths.choose(SPLIT, contact);
            for (int j = 0; j < 5; j++) {
                assertThat(SplitPaths.choose(SPLIT, contact)).isEqualTo(first);
            }
        }
    }

    @Test
    void aKnownContact_hasAFixedBucket() {
        // pinned: the hash must not change between versions of Herald, or contacts would change paths
        assertThat(SplitPaths.bucket("00000000-0000-0000-0000-000000000001", "ab"))
                .isEqualTo(SplitPaths.bucket("00000000-0000-0000-0000-000000000001", "ab"))
                .isBetween(0, 99);
        assertThat(SplitPaths.bucket("c", "n")).isEqualTo(PINNED);
    }

    /** SHA-256("c:n") first 8 bytes as a long, mod 100. */
    private static final int PINNED = pinned();

    private static int pinned() {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest("c:n".getBytes());
            return (int) Math.floorMod(java.nio.ByteBuffer.wrap(d, 0, 8).getLong(), 100L);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pathsTakeTheirShare() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(SplitPaths.choose(SPLIT, UUID.randomUUID().toString()).name(), 1, Integer::sum);
        }
        assertThat(counts.get("A")).isBetween(1_700, 2_300);
        assertThat(counts.get("B")).isBetween(7_700, 8_300);
    }
}
