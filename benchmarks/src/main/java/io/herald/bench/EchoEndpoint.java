package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import java.util.Map;

/**
 * A yardstick endpoint added to the application context by the benchmark only: {@code POST
 * /bench/echo} reads the create-campaign JSON body and answers 201 with it as JSON, through the
 * same Tomcat, servlet filters (correlation id, observation) and Jackson as the real endpoint,
 * but without Axon, validation or the database. Its throughput is the ceiling of the HTTP layer
 * on these cores. Deliberately not a {@code @Component} (HeraldApplication scans io.herald).
 * <p>
 * A URL handler mapping consulted after the application's own ones, so the API's requests never
 * look at it. (It was a functional route until 2026-12-07: Spring MVC asks its router-function
 * mapping first, which copies every request's headers into a {@code ServerRequest}, so every API
 * request measured in the harness paid for the yardstick, about 3 % of a campaign create's CPU.)
 */
public class EchoEndpoint {

    static final String PATH = "/bench/echo";

    @Bean
    SimpleUrlHandlerMapping benchEcho(ObjectMapper objectMapper) {
        HttpRequestHandler echo = (request, response) -> {
            if (!"POST".equals(request.getMethod())) {
                response.sendError(HttpStatus.METHOD_NOT_ALLOWED.value());
                return;
            }
            Map<?, ?> body = objectMapper.readValue(request.getInputStream(), Map.class);
            response.setStatus(HttpStatus.CREATED.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            objectMapper.writeValue(response.getOutputStream(), body);
        };
        return new SimpleUrlHandlerMapping(Map.of(PATH, echo), Ordered.LOWEST_PRECEDENCE - 1);
    }
}
