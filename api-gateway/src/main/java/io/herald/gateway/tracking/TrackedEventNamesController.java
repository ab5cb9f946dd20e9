package io.herald.gateway.tracking;

import io.herald.api.tracking.FindTrackedEventNamesQuery;
import io.herald.api.tracking.TrackedEventNamesView;
import io.herald.gateway.contact.Queries;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The names of tracked events and their property keys, offered by the forms that name an event. */
@RestController
@Validated
class TrackedEventNamesController {

    private final QueryGateway queryGateway;

    TrackedEventNamesController(QueryGateway queryGateway) {
        this.queryGateway = queryGateway;
    }

    @Operation(summary = "Tracked event names starting with prefix (case-insensitive), with a count (capped at 1,000) "
            + "and the property keys of their most recent events")
    @GetMapping("/api/tracking/event-names")
    TrackedEventNamesView eventNames(@RequestParam(defaultValue = "") @Size(max = 200) String prefix,
                                     @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return Queries.join(queryGateway.query(new FindTrackedEventNamesQuery(prefix, limit),
                                               ResponseTypes.instanceOf(TrackedEventNamesView.class)));
    }
}
