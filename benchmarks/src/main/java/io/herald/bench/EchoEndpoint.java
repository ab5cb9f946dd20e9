package io.herald.bench;

import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

import java.util.Map;

/**
 * A yardstick endpoint added to the application context by the benchmark only: {@code POST
 * /bench/echo} reads the create-campaign JSON body and answers 201 with it as JSON, through the
 * same Tomcat, servlet filters (correlation id, observation) and Jackson as the real endpoint,
 * but without Axon, validation or the database. Its throughput is the ceiling of the HTTP layer
 * on these cores. Deliberately not a {@code @Component} (HeraldApplication scans io.herald).
 */
public class EchoEndpoint {

    static final String PATH = "/bench/echo";

    @Bean
    RouterFunction<ServerResponse> benchEcho() {
        return RouterFunctions.route()
                .POST(PATH, request -> ServerResponse.status(HttpStatus.CREATED)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(request.body(Map.class)))
                .build();
    }
}
