package io.herald.gateway.web;

import io.herald.api.common.MetadataKeys;
import io.herald.gateway.config.GatewayProperties;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryMessage;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write path against Axon's own in-process buses: a command handler that changes a "read
 * model" (a map) and pushes (or does not push) the update, and a query handler reading the map.
 */
class WritePathTest {

    record Thing(String id, long version) {
    }

    record FindThing(String id) {
    }

    /** Sets the thing to {@code version}; {@code push}: emit the update; {@code store}: also write the read model. */
    record ChangeThing(String id, long version, boolean push, boolean store, boolean fail) {
        ChangeThing(String id, long version, boolean push, boolean store) {
            this(id, version, push, store, false);
        }
    }

    static final class Missing extends RuntimeException {
        Missing(String id) {
            super("no " + id);
        }
    }

    private static final WritePath.Resource<Thing> THINGS = new WritePath.Resource<>(
            "/api/things", Thing.class, FindThing::new, Thing::version, Missing::new);

    private final Map<String, Thing> readModel = new ConcurrentHashMap<>();
    private final List<CommandMessage<?>> handled = new ArrayList<>();
    private SimpleCommandBus commandBus;
    private SimpleQueryBus queryBus;
    private CommittedUpdates emitter;

    @BeforeEach
    void setUp() {
        emitter = new CommittedUpdates(SimpleQueryUpdateEmitter.builder().build());
        queryBus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
        queryBus.subscribe(FindThing.class.getName(), Thing.class,
                           (QueryMessage<?, Thing> query) -> readModel.get(((FindThing) query.getPayload()).id()));
        commandBus = SimpleCommandBus.builder().build();
        commandBus.subscribe(ChangeThing.class.getName(), command -> {
            handled.add(command);
            ChangeThing change = (ChangeThing) command.getPayload();
            if (change.version() < 0) {
                throw new AggregateNotFoundException(change.id(), "none");
            }
            Thing view = new Thing(change.id(), change.version());
            if (change.store()) {
                readModel.put(change.id(), view);
            }
            if (change.push()) {
                emitter.emit(FindThing.class, q -> q.id().equals(change.id()), view);
            }
            if (change.fail()) {
                throw new IllegalStateException("refused after the push");
            }
            return change.version();
        });
    }

    private WritePath writePath(Duration timeout, Duration fallbackInterval) {
        return new WritePath(DefaultCommandGateway.builder().commandBus(commandBus).build(),
                             DefaultQueryGateway.builder().queryBus(queryBus).build(), emitter,
                             new GatewayProperties(null, null, new GatewayProperties.ReadYourWrites(timeout, fallbackInterval),
                                                   null, null));
    }

    @Test
    void anUpdatePushedWhileTheCommandRuns_isSeen_becauseTheSubscriptionOpensFirst() {
        readModel.put("a", new Thing("a", 0)); // re-reads keep answering the old version
        ResponseEntity<Thing> reply = writePath(Duration.ofSeconds(2), Duration.ofSeconds(30))
                .send(THINGS, "a", new ChangeThing("a", 1, true, false), null, HttpStatus.OK);
        assertThat(reply.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(reply.getBody()).isEqualTo(new Thing("a", 1));
        assertThat(reply.getHeaders().getETag()).isEqualTo("\"1\"");
        assertThat(reply.getHeaders().getLocation()).isNull();
    }

    @Test
    void withoutAPush_theReReadFindsTheNewVersion_andACreationAnswers201WithLocation() {
        ResponseEntity<Thing> reply = writePath(Duration.ofSeconds(2), Duration.ofMillis(100))
                .send(THINGS, "b", new ChangeThing("b", 0, false, true), null, HttpStatus.CREATED);
        assertThat(reply.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(reply.getBody()).isEqualTo(new Thing("b", 0));
        assertThat(reply.getHeaders().getETag()).isEqualTo("\"0\"");
        assertThat(reply.getHeaders().getLocation()).isEqualTo(URI.create("/api/things/b"));
    }

    @Test
    void aReadModelThatDoesNotCatchUp_answers202WithLocationOnly() {
        readModel.put("c", new Thing("c", 0));
        ResponseEntity<Thing> reply = writePath(Duration.ofMillis(300), Duration.ofMillis(50))
                .send(THINGS, "c", new ChangeThing("c", 1, false, false), null, HttpStatus.OK);
        assertThat(reply.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(reply.getBody()).isNull();
        assertThat(reply.getHeaders().getETag()).isNull();
        assertThat(reply.getHeaders().getLocation()).isEqualTo(URI.create("/api/things/c"));
    }

    @Test
    void aReadModelWrittenInTheCommandTransaction_answersWithTheViewItsProjectionEmitted_withoutAnyQuery() {
        List<Object> queries = new ArrayList<>();
        queryBus.registerHandlerInterceptor((unitOfWork, chain) -> {
            queries.add(unitOfWork.getMessage().getPayload());
            return chain.proceed();
        });
        readModel.put("h", new Thing("h", 0)); // a read would answer this older version
        WritePath.Resource<Thing> inTransaction = THINGS.writtenInCommandTransaction();
        ResponseEntity<Thing> reply = writePath(Duration.ofSeconds(2), Duration.ofSeconds(30))
                .send(inTransaction, "h", new ChangeThing("h", 1, true, false), null, HttpStatus.OK);

        assertThat(reply.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(reply.getBody()).isEqualTo(new Thing("h", 1));
        assertThat(reply.getHeaders().getETag()).isEqualTo("\"1\"");
        assertThat(queries).isEmpty();
        assertThat(emitter.activeSubscriptions()).isEmpty();
    }

    @Test
    void anUpdateOfACommandThatRolledBack_isNeverHandedOver_andAnotherIdsUpdateIsNotTaken() {
        WritePath.Resource<Thing> inTransaction = THINGS.writtenInCommandTransaction();
        WritePath writes = writePath(Duration.ofMillis(300), Duration.ofMillis(50));
        assertThatThrownBy(() -> writes.send(inTransaction, "i", new ChangeThing("i", 1, true, false, true), null,
                                             HttpStatus.OK))
                .hasMessageContaining("refused after the push");

        // the same thread's next write: a push for another id, nothing in the read model for "i" at version 2
        readModel.put("i", new Thing("i", 0));
        commandBus.subscribe(FindThing.class.getName(), command -> {
            emitter.emit(FindThing.class, q -> q.id().equals("other"), new Thing("i", 2));
            return 2L;
        });
        ResponseEntity<Thing> reply = writes.send(inTransaction, "i", new FindThing("i"), null, HttpStatus.OK);
        assertThat(reply.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    }

    @Test
    void aReadModelWrittenInTheCommandTransaction_isReadOnceWhenTheCommandReturns_withNoSubscription() {
        List<Object> queries = new ArrayList<>();
        queryBus.registerHandlerInterceptor((unitOfWork, chain) -> {
            queries.add(unitOfWork.getMessage().getPayload());
            return chain.proceed();
        });
        WritePath.Resource<Thing> inTransaction = THINGS.writtenInCommandTransaction();
        ResponseEntity<Thing> reply = writePath(Duration.ofSeconds(2), Duration.ofSeconds(30))
                .send(inTransaction, "g", new ChangeThing("g", 0, false, true), null, HttpStatus.CREATED);

        assertThat(reply.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(reply.getBody()).isEqualTo(new Thing("g", 0));
        assertThat(queries).containsExactly(new FindThing("g"));
        assertThat(emitter.activeSubscriptions()).isEmpty();
    }

    @Test
    void aReadModelWrittenInTheCommandTransaction_butBehind_isReReadUntilTheTimeout_then202() {
        readModel.put("h", new Thing("h", 0)); // as while the group runs as a processor (a rebuild)
        WritePath.Resource<Thing> inTransaction = THINGS.writtenInCommandTransaction();
        ResponseEntity<Thing> reply = writePath(Duration.ofMillis(300), Duration.ofMillis(50))
                .send(inTransaction, "h", new ChangeThing("h", 1, false, false), null, HttpStatus.OK);
        assertThat(reply.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

        new Thread(() -> {
            sleep(100);
            readModel.put("h", new Thing("h", 2));
        }).start();
        ResponseEntity<Thing> caughtUp = writePath(Duration.ofSeconds(5), Duration.ofMillis(50))
                .send(inTransaction, "h", new ChangeThing("h", 2, false, false), null, HttpStatus.OK);
        assertThat(caughtUp.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(caughtUp.getBody()).isEqualTo(new Thing("h", 2));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void afterAnUpsert_theFirstReadIsImmediate_soAnEarlierPushIsNotNeeded() {
        readModel.put("d", new Thing("d", 4));
        long start = System.nanoTime();
        ResponseEntity<Thing> reply = writePath(Duration.ofSeconds(5), Duration.ofSeconds(30))
                .sent(THINGS, "d", 4, HttpStatus.OK);
        assertThat(reply.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(reply.getHeaders().getETag()).isEqualTo("\"4\"");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void ifMatch_travelsWithTheCommandAsTheExpectedVersion_starOrNoneAsNoExpectation() {
        WritePath writes = writePath(Duration.ofSeconds(2), Duration.ofMillis(100));
        writes.send(THINGS, "e", new ChangeThing("e", 3, true, true), "\"2\"", HttpStatus.OK);
        writes.send(THINGS, "e", new ChangeThing("e", 4, true, true), "*", HttpStatus.OK);
        writes.send(THINGS, "e", new ChangeThing("e", 5, true, true), null, HttpStatus.OK);
        assertThat(handled).hasSize(3);
        assertThat(handled.get(0).getMetaData().get(MetadataKeys.EXPECTED_VERSION)).isEqualTo(2L);
        assertThat(handled.get(1).getMetaData()).doesNotContainKey(MetadataKeys.EXPECTED_VERSION);
        assertThat(handled.get(2).getMetaData()).doesNotContainKey(MetadataKeys.EXPECTED_VERSION);
    }

    @Test
    void anIfMatchThatIsNoETagOfOurs_is412_andNothingIsSent() {
        WritePath writes = writePath(Duration.ofSeconds(2), Duration.ofMillis(100));
        for (String value : List.of("W/\"2\"", "\"2\", \"3\"", "\"x\"", "2", "")) {
            assertThatThrownBy(() -> writes.send(THINGS, "f", new ChangeThing("f", 1, true, true), value,
                                                 HttpStatus.OK))
                    .as(value)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(HttpStatus.PRECONDITION_FAILED);
                        assertThat(e.code()).isEqualTo("precondition.failed");
                    });
        }
        assertThat(handled).isEmpty();
    }

    @Test
    void anIdThatNamesNothing_isTheResourcesOwn404() {
        Function<String, Object> send = id -> writePath(Duration.ofSeconds(1), Duration.ofMillis(100))
                .send(THINGS, id, new ChangeThing(id, -1, false, false), null, HttpStatus.OK);
        assertThatThrownBy(() -> send.apply("g")).isInstanceOf(Missing.class).hasMessage("no g");
    }
}
