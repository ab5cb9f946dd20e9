package io.herald.gateway.web;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitTest {

    @Test
    void itemsThatArriveWhileTheWriterIsBusyAreWrittenTogetherEachAnsweredItsOwn() throws Exception {
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer, String> commit = new GroupCommit<>("test", 1, 100, i -> "", group -> {
            groups.add(group);
            if (groups.size() == 1) {
                firstWriteStarted.countDown();
                await(release);
            }
            return group.stream().map(i -> "done " + i).toList();
        }, e -> true)) {
            ExecutorService requests = Executors.newFixedThreadPool(11);
            Future<String> first = requests.submit(() -> commit.submit(0));
            assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> waiting = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                int item = i;
                waiting.add(requests.submit(() -> commit.submit(item)));
            }
            Thread.sleep(200); // the ten are queued behind the busy writer
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done 0");
            for (int i = 1; i <= 10; i++) {
                assertThat(waiting.get(i - 1).get(5, TimeUnit.SECONDS)).isEqualTo("done " + i);
            }
            requests.shutdown();
        }
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsExactly(0);
        assertThat(groups.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void aGroupRefusedAsAWholeIsWrittenItemByItemSoOnlyTheBadItemFails() throws Exception {
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer, Integer> commit = new GroupCommit<>("test", 1, 100, i -> "", group -> {
            groups.add(group);
            if (groups.size() == 1) {
                await(release);
            }
            if (group.contains(13)) {
                throw new IllegalArgumentException("13 is refused");
            }
            return group.stream().map(i -> i * 2).toList();
        }, IllegalArgumentException.class::isInstance)) {
            ExecutorService requests = Executors.newFixedThreadPool(4);
            Future<Integer> blocker = requests.submit(() -> commit.submit(1));
            Thread.sleep(100);
            Future<Integer> good = requests.submit(() -> commit.submit(2));
            Future<Integer> bad = requests.submit(() -> commit.submit(13));
            Future<Integer> alsoGood = requests.submit(() -> commit.submit(3));
            Thread.sleep(200);
            release.countDown();
            assertThat(blocker.get(5, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(good.get(5, TimeUnit.SECONDS)).isEqualTo(4);
            assertThat(alsoGood.get(5, TimeUnit.SECONDS)).isEqualTo(6);
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalArgumentException.class);
            requests.shutdown();
        }
        // the blocker alone, the three together (refused), then each of the three alone
        assertThat(groups).hasSize(5);
        assertThat(groups.get(1)).containsExactlyInAnyOrder(2, 13, 3);
    }

    @Test
    void aFailureThatIsNotAnItemsOwnFailsTheWholeGroupWithoutRetries() {
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Integer, Integer> commit = new GroupCommit<>("test", 1, 100, i -> "", group -> {
            groups.add(group);
            throw new IllegalStateException("database gone");
        }, IllegalArgumentException.class::isInstance)) {
            assertThatThrownBy(() -> commit.submit(7)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("database gone");
        }
        assertThat(groups).hasSize(1);
    }

    @Test
    void itemsOfDifferentKeysAreNeverInOneGroup() throws Exception {
        List<List<String>> groups = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<String, String> commit = new GroupCommit<>("test", 4, 100, s -> s.charAt(0), group -> {
            groups.add(group);
            if (groups.size() == 1) {
                await(release);
            }
            return group;
        }, e -> true)) {
            ExecutorService requests = Executors.newFixedThreadPool(5);
            Future<String> blocker = requests.submit(() -> commit.submit("x0"));
            Thread.sleep(100);
            List<Future<String>> rest = new ArrayList<>();
            for (String item : List.of("a1", "b1", "a2", "b2")) {
                rest.add(requests.submit(() -> commit.submit(item)));
            }
            Thread.sleep(200);
            release.countDown();
            assertThat(blocker.get(5, TimeUnit.SECONDS)).isEqualTo("x0");
            for (Future<String> f : rest) {
                f.get(5, TimeUnit.SECONDS);
            }
            requests.shutdown();
        }
        for (List<String> group : groups) {
            assertThat(group.stream().map(s -> s.charAt(0)).distinct()).hasSize(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
