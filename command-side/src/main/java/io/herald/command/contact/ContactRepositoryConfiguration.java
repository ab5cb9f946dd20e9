package io.herald.command.contact;

import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.modelling.command.DefaultRepositorySpanFactory;
import org.axonframework.modelling.command.RepositorySpanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The contact aggregate's repository: Axon's event-sourcing repository, except that a contact
 * created by an import reads its creation from the import batch's event ({@link ImportedContactCreations}).
 */
@Configuration(proxyBeanMethods = false)
class ContactRepositoryConfiguration {

    static final String REPOSITORY = "contactRepository";

    @Bean(REPOSITORY)
    EventSourcingRepository<Contact> contactRepository(EventStore eventStore,
                                                       ParameterResolverFactory parameterResolverFactory,
                                                       HandlerDefinition handlerDefinition,
                                                       ObjectProvider<RepositorySpanFactory> spanFactory,
                                                       ImportedContactCreations imported) {
        EventSourcingRepository.Builder<Contact> builder = EventSourcingRepository.builder(Contact.class)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory.getIfAvailable(() -> DefaultRepositorySpanFactory.builder()
                        .spanFactory(NoOpSpanFactory.INSTANCE).build()));
        return new EventSourcingRepository<>(builder) {
            @Override
            protected DomainEventStream readEvents(String aggregateIdentifier) {
                return imported.withCreation(aggregateIdentifier, super.readEvents(aggregateIdentifier));
            }
        };
    }
}
