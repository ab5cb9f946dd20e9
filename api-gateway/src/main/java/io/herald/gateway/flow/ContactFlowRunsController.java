package io.herald.gateway.flow;

import io.herald.api.contact.ContactView;
import io.herald.api.contact.FindContactQuery;
import io.herald.api.flow.FindContactFlowRunsQuery;
import io.herald.api.flow.FlowRunPage;
import io.herald.gateway.contact.Queries;
import io.herald.gateway.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

/**
 * A contact's runs in every flow (for the contact page's links to each run's journey): read only, its own class so
 * the contact and flow controllers stay as they are.
 */
@RestController
@Validated
class ContactFlowRunsController {

    private final QueryGateway queryGateway;

    ContactFlowRunsController(QueryGateway queryGateway) {
        this.queryGateway = queryGateway;
    }

    @Operation(summary = "A contact's runs in every flow, newest first, without their decision logs "
            + "(GET /api/flows/{flowId}/runs?contactId= has those)")
    @GetMapping("/api/contacts/{id}/flow-runs")
    FlowRunPage flowRuns(@PathVariable String id,
                         @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                         @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        if (!id.matches(FlowController.UUID_PATTERN)) {
            throw notFound(id);
        }
        String contactId = id.toLowerCase(Locale.ROOT);
        ContactView contact = Queries.join(queryGateway.query(new FindContactQuery(contactId),
                                                              ResponseTypes.instanceOf(ContactView.class)));
        if (contact == null) {
            throw notFound(id);
        }
        return Queries.join(queryGateway.query(new FindContactFlowRunsQuery(contactId, page, size),
                                               ResponseTypes.instanceOf(FlowRunPage.class)));
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("contact.not-found", "No contact with id " + id);
    }
}
