package io.herald.gateway.metrics;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /actuator/health} on the public HTTP port while the actuator lives on the management port: load
 * balancers, the image's health check and compose ask the HTTP port. The same answer as the management port's
 * ({@link HealthEndpoint}: 200 when UP, 503 otherwise, with the components). Nothing else of the actuator is
 * answered on the public port.
 */
@RestController
@Hidden // the actuator's, not the API's: left out of /v3/api-docs as before
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class MainPortHealth {

    static final String PATH = "/actuator/health";

    private final HealthEndpoint health;
    private final HttpCodeStatusMapper statusCodes;

    MainPortHealth(HealthEndpoint health, HttpCodeStatusMapper statusCodes) {
        this.health = health;
        this.statusCodes = statusCodes;
    }

    @GetMapping(value = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<HealthComponent> health() {
        HealthComponent component = health.health();
        return ResponseEntity.status(statusCodes.getStatusCode(component.getStatus())).body(component);
    }
}
