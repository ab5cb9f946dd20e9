package io.herald.eventstore;

import io.herald.eventstore.ProcessingGroups.InCommandTransaction;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The start-up check that subscribing groups only write in the command's transaction (the rule is
 * in {@link ProcessingGroups}): every subscribing processor is declared with
 * {@link ProcessingGroups#inCommandTransaction}, and no {@code @EventHandler} of one runs
 * {@code @Async} or under a {@code @Transactional} that suspends or refuses the caller's transaction
 * ({@code REQUIRES_NEW}, {@code NOT_SUPPORTED}, {@code NEVER}), on the method or its class. Annotations
 * are looked up by name, so the check needs neither Spring's transaction module nor Jakarta's.
 */
final class SubscribingGroupsCheck {

    static final String EVENT_HANDLER = "org.axonframework.eventhandling.EventHandler";
    static final String ASYNC = "org.springframework.scheduling.annotation.Async";
    static final String SPRING_TRANSACTIONAL = "org.springframework.transaction.annotation.Transactional";
    static final String JAKARTA_TRANSACTIONAL = "jakarta.transaction.Transactional";
    /** Propagations (Spring's) and transaction types (Jakarta's) that run the handler outside the caller's transaction. */
    static final Set<String> LEAVING = Set.of("REQUIRES_NEW", "NOT_SUPPORTED", "NEVER");

    private SubscribingGroupsCheck() {
    }

    /** Fails with every offence named, or returns when there is none. */
    static void check(EventProcessingConfiguration processing, Collection<InCommandTransaction> declared) {
        Set<String> declaredNames = new HashSet<>();
        Set<EventProcessor> declaredProcessors = Collections.newSetFromMap(new IdentityHashMap<>());
        for (InCommandTransaction declaration : declared) {
            declaredNames.add(declaration.group());
            processing.<EventProcessor>eventProcessorByProcessingGroup(declaration.group()).ifPresent(declaredProcessors::add);
        }
        List<String> offences = new ArrayList<>();
        new TreeMap<>(processing.eventProcessors()).forEach((name, processor) -> {
            if (!(processor instanceof SubscribingEventProcessor subscribing)) {
                return;
            }
            if (!declaredNames.contains(name) && !declaredProcessors.contains(processor)) {
                offences.add("processing group '" + name + "' runs as a subscribing processor, but no module declares it "
                        + "with ProcessingGroups.inCommandTransaction(group, reason): its handlers would run in the "
                        + "publishing command's unit of work, before the events are stored. Declare it (in the "
                        + "module that owns it), or run it as a streaming processor "
                        + "(axon.eventhandling.processors." + name + ".mode=pooled)");
                return;
            }
            for (Class<?> handler : handlerTypes(subscribing.eventHandlerInvoker())) {
                offences.addAll(leavingTheTransaction(name, handler));
            }
        });
        if (!offences.isEmpty()) {
            throw new IllegalStateException("Subscribing processing groups may only write in the command's transaction "
                    + "(README, \"Processing groups\"; ProcessingGroups):\n- " + String.join("\n- ", offences));
        }
    }

    /** The classes of the annotated handlers an invoker calls (Spring proxies unwrapped to the handler's class). */
    static Set<Class<?>> handlerTypes(EventHandlerInvoker invoker) {
        Set<Class<?>> types = new LinkedHashSet<>();
        if (invoker instanceof MultiEventHandlerInvoker multi) {
            multi.delegates().forEach(delegate -> types.addAll(handlerTypes(delegate)));
        } else if (invoker instanceof SimpleEventHandlerInvoker simple) {
            for (EventMessageHandler handler : simple.eventHandlers()) {
                if (handler instanceof AnnotationEventHandlerAdapter adapter) {
                    types.add(ClassUtils.getUserClass(adapter.getTargetType()));
                }
            }
        }
        return types;
    }

    /** What in {@code handler}'s event handlers leaves the publishing transaction, one line per handler method. */
    static List<String> leavingTheTransaction(String group, Class<?> handler) {
        List<String> offences = new ArrayList<>();
        Method[] methods = ReflectionUtils.getUniqueDeclaredMethods(handler, ReflectionUtils.USER_DECLARED_METHODS);
        Arrays.sort(methods, (a, b) -> a.toGenericString().compareTo(b.toGenericString()));
        for (Method method : methods) {
            if (!annotation(method, EVENT_HANDLER).isPresent()) {
                continue;
            }
            List<String> why = new ArrayList<>();
            if (annotation(method, ASYNC).isPresent() || annotation(handler, ASYNC).isPresent()) {
                why.add("@Async (another thread, outside the transaction)");
            }
            transactional(method, handler).ifPresent(why::add);
            if (!why.isEmpty()) {
                offences.add("processing group '" + group + "' is subscribing, and its handler " + handler.getSimpleName()
                        + "." + method.getName() + "(" + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(", ")) + ") (" + handler.getName() + ") runs " + String.join(" and ", why)
                        + ": what it writes there stays written if the events are then not stored. Write in the "
                        + "command's transaction, or move the handler to a streaming group");
            }
        }
        return offences;
    }

    /** The method's transaction attribute (the method's own, else its class's) if it leaves the caller's transaction. */
    private static Optional<String> transactional(Method method, Class<?> handler) {
        for (AnnotatedElement element : List.of(method, handler)) {
            MergedAnnotation<?> spring = annotation(element, SPRING_TRANSACTIONAL);
            MergedAnnotation<?> jakarta = annotation(element, JAKARTA_TRANSACTIONAL);
            if (spring.isPresent()) {
                String propagation = spring.getValue("propagation").map(String::valueOf).orElse("REQUIRED");
                return LEAVING.contains(propagation)
                        ? Optional.of("@Transactional(propagation = " + propagation + ")") : Optional.empty();
            }
            if (jakarta.isPresent()) {
                String type = jakarta.getValue("value").map(String::valueOf).orElse("REQUIRED");
                return LEAVING.contains(type) ? Optional.of("@jakarta.transaction.Transactional(" + type + ")") : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static MergedAnnotation<?> annotation(AnnotatedElement element, String type) {
        return MergedAnnotations.from(element, SearchStrategy.TYPE_HIERARCHY).get(type);
    }
}
