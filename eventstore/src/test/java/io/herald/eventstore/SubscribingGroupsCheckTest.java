package io.herald.eventstore;

import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Start-up refuses subscribing groups that may write outside the command's transaction (the rule
 * and the check: {@link ProcessingGroups}).
 */
class SubscribingGroupsCheckTest {

    static final String GROUP = "in-transaction";

    @ProcessingGroup(GROUP)
    static class SameTransaction {
        final List<Object> seen = new ArrayList<>();

        @EventHandler
        @Transactional
        void on(String event) {
            seen.add(event);
        }
    }

    @ProcessingGroup(GROUP)
    static class AsyncHandler {
        @Async
        @EventHandler
        void on(String event) {
        }
    }

    @ProcessingGroup(GROUP)
    static class OwnTransaction {
        @Transactional(propagation = Propagation.REQUIRES_NEW)
        @EventHandler
        void on(Integer event) {
        }
    }

    @ProcessingGroup(GROUP)
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    static class NoTransaction {
        @EventHandler
        void on(Long event) {
        }
    }

    @ProcessingGroup("undeclared")
    static class Undeclared {
        @EventHandler
        void on(String event) {
        }
    }

    private Configuration configuration;

    @AfterEach
    void shutDown() {
        if (configuration != null) {
            configuration.shutdown();
        }
    }

    /** A configuration whose groups run subscribing, {@link #GROUP} declared in the command's transaction. */
    private Configuration subscribing(Object... handlers) {
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
        configurer.eventProcessing().usingSubscribingEventProcessors();
        for (Object handler : handlers) {
            configurer.eventProcessing().registerEventHandler(c -> handler);
        }
        ProcessingGroups.InCommandTransaction declared = ProcessingGroups.inCommandTransaction(GROUP, "a test needs it");
        declared.configureModule(configurer);
        ProcessingGroups.subscribingGroupsChecked(() -> List.of(declared)).configureModule(configurer);
        configuration = configurer.buildConfiguration();
        return configuration;
    }

    @Test
    void aDeclaredGroupWhoseHandlersWriteInTheTransaction_starts_andHandlesEvents() {
        SameTransaction handler = new SameTransaction();
        Configuration config = subscribing(handler);

        config.start();
        config.eventBus().publish(GenericEventMessage.asEventMessage("hello"));

        assertThat(handler.seen).containsExactly("hello");
    }

    @Test
    void aSubscribingGroupNobodyDeclared_failsStartUp_namingIt() {
        Configuration config = subscribing(new SameTransaction(), new Undeclared());

        assertThatThrownBy(config::start)
                .hasStackTraceContaining("processing group 'undeclared' runs as a subscribing processor, but no module "
                        + "declares it with ProcessingGroups.inCommandTransaction(group, reason)")
                .hasStackTraceContaining("axon.eventhandling.processors.undeclared.mode=pooled");
    }

    @Test
    void anAsyncHandler_failsStartUp_namingTheGroupAndTheHandler() {
        Configuration config = subscribing(new AsyncHandler());

        assertThatThrownBy(config::start).hasStackTraceContaining(
                "processing group 'in-transaction' is subscribing, and its handler AsyncHandler.on(String)")
                .hasStackTraceContaining("@Async");
    }

    @Test
    void handlersInATransactionOfTheirOwnOrNone_failStartUp_eachNamed() {
        Configuration config = subscribing(new OwnTransaction(), new NoTransaction());

        assertThatThrownBy(config::start)
                .hasStackTraceContaining("its handler OwnTransaction.on(Integer)")
                .hasStackTraceContaining("@Transactional(propagation = REQUIRES_NEW)")
                .hasStackTraceContaining("its handler NoTransaction.on(Long)")
                .hasStackTraceContaining("@Transactional(propagation = NOT_SUPPORTED)");
    }

    @Test
    void aHandlerBehindASpringProxy_isCheckedAsItsOwnClass() {
        ProxyFactory proxies = new ProxyFactory(new AsyncHandler());
        proxies.setProxyTargetClass(true);
        Configuration config = subscribing(proxies.getProxy());

        assertThatThrownBy(config::start).hasStackTraceContaining("its handler AsyncHandler.on(String)");
    }

    @Test
    void aDeclaredGroupRunAsAStreamingProcessor_isNotChecked() {
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
        configurer.eventProcessing().usingPooledStreamingEventProcessors()
                .registerEventHandler(c -> new AsyncHandler());
        ProcessingGroups.subscribingGroupsChecked(List::of).configureModule(configurer);
        configuration = configurer.buildConfiguration();

        configuration.start();
    }

    @Test
    void aDeclarationWithoutAReason_isRefused() {
        assertThatThrownBy(() -> ProcessingGroups.inCommandTransaction(GROUP, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in-transaction");
    }
}
