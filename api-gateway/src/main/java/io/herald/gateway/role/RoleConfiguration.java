package io.herald.gateway.role;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/** What {@link HeraldRole} changes in the running application (its settings are {@link HeraldRoleEnvironment}'s). */
@Configuration(proxyBeanMethods = false)
public class RoleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoleConfiguration.class);

    @Bean
    HeraldRole heraldRole(Environment environment) {
        return HeraldRole.parse(environment.getProperty(HeraldRole.PROPERTY));
    }

    /**
     * An api instance keeps its saga processors and the flow triggers' processor (so that their status reads the
     * same everywhere) but lets them claim no segment: they run in the workers only, from the tokens all instances
     * share.
     */
    @Bean
    ConfigurerModule sagasOnlyInWorkers(HeraldRole role, ListableBeanFactory beans) {
        return configurer -> {
            if (role.runsSagas()) {
                return;
            }
            Set<String> groups = sagaGroups(beans);
            groups.add(io.herald.saga.SagaProcessing.FLOW_TRIGGERS); // flow entries from tracked events: worker work
            groups.add(io.herald.saga.SagaProcessing.WEBHOOK_FEED); // the webhook outbox: worker work
            for (String group : groups) {
                configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                        group, (config, builder) -> builder.maxClaimedSegments(0));
            }
            log.info("Role {}: the saga processors {} claim no segments here (they run in the workers)",
                     role.value(), groups);
        };
    }

    /** The processing groups of the {@code @Saga} types in the context. */
    static Set<String> sagaGroups(ListableBeanFactory beans) {
        Set<String> groups = new TreeSet<>();
        for (String name : beans.getBeanNamesForAnnotation(Saga.class)) {
            Class<?> type = beans.getType(name, false);
            if (type == null) {
                continue;
            }
            ProcessingGroup group = type.getAnnotation(ProcessingGroup.class);
            // Axon's default for a saga without @ProcessingGroup
            groups.add(group != null ? group.value() : type.getSimpleName() + "Processor");
        }
        return groups;
    }

    /** A worker answers only the actuator (health, info, metrics) on HTTP; every other path is 404. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> workerHttpSurface(HeraldRole role) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new WorkerOnlyActuator());
        registration.setName("heraldWorkerHttpSurface");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setEnabled(role == HeraldRole.WORKER);
        return registration;
    }

    static final class WorkerOnlyActuator extends OncePerRequestFilter {

        private static final byte[] BODY = ("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"This Herald instance runs in the worker role: it serves only /actuator\","
                + "\"code\":\"role.worker\"}").getBytes(StandardCharsets.UTF_8);

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (path.equals("/actuator") || path.startsWith("/actuator/")) {
                chain.doFilter(request, response);
                return;
            }
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/problem+json");
            response.setContentLength(BODY.length);
            response.getOutputStream().write(BODY);
        }
    }
}
