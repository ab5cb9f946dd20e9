package io.herald.gateway.policy;

import io.herald.api.policy.FindMessagingPolicyQuery;
import io.herald.api.policy.MessagingPolicy;
import io.herald.api.policy.MessagingPolicyView;
import io.herald.api.policy.SetMessagingPolicyCommand;
import io.herald.gateway.web.NotFoundException;
import io.herald.gateway.contact.Queries;
import io.herald.gateway.web.WritePath;
import jakarta.validation.constraints.NotNull;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The messaging policy, one for campaigns and flows: frequency caps per channel and quiet hours (README, "Messaging
 * policy"). Each change is an event of the policy's aggregate, with its actor.
 */
@RestController
@RequestMapping("/api/messaging-policy")
class MessagingPolicyController {

    private static final WritePath.Resource<MessagingPolicyView> POLICY = new WritePath.Resource<>(
            "/api/messaging-policy", MessagingPolicyView.class, FindMessagingPolicyQuery::new,
            MessagingPolicyView::version,
            id -> new NotFoundException("policy.not-found", "No messaging policy " + id)).writtenInCommandTransaction();

    private final QueryGateway queries;
    private final WritePath writes;

    MessagingPolicyController(QueryGateway queries, WritePath writes) {
        this.queries = queries;
        this.writes = writes;
    }

    /** The policy with its ETag; before it was ever set: no caps, no quiet hours, version -1 and no ETag. */
    @GetMapping
    ResponseEntity<MessagingPolicyView> get() {
        MessagingPolicyView view = Queries.join(queries.query(new FindMessagingPolicyQuery(MessagingPolicy.ID),
                                                              ResponseTypes.instanceOf(MessagingPolicyView.class)));
        return view.version() < 0 ? ResponseEntity.ok(view)
                : ResponseEntity.ok().eTag(WritePath.etag(view.version())).body(view);
    }

    /** Replaces the policy; {@code If-Match} with the ETag last read (412 when it changed meanwhile). */
    @PutMapping
    ResponseEntity<MessagingPolicyView> put(@RequestBody @NotNull MessagingPolicy policy,
                                            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false)
                                            String ifMatch) {
        return writes.send(POLICY, MessagingPolicy.ID, new SetMessagingPolicyCommand(MessagingPolicy.ID, policy),
                           ifMatch, HttpStatus.OK);
    }
}
