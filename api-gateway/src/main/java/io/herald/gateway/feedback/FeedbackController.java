package io.herald.gateway.feedback;

import io.herald.api.feedback.EmailFeedbackReceived;
import io.herald.api.feedback.ReceiveEmailFeedbackCommand;
import io.herald.api.feedback.ReceiveEmailFeedbackCommand.Provider;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Providers' event webhooks for bounces and complaints, called by Amazon SNS (for SES) and Mailgun, not by API
 * clients. Public: the provider's signature is the authorization (401 problem+json when it does not verify). A
 * notification for an e-mail Herald did not send is answered 200 ({@code unknown-delivery}) and logged: providers
 * retry anything but a 2xx.
 */
@RestController
@RequestMapping("/feedback")
class FeedbackController {

    private final CommandGateway commandGateway;

    FeedbackController(CommandGateway commandGateway) {
        this.commandGateway = commandGateway;
    }

    @Operation(operationId = "sesFeedback", summary = "Amazon SES bounces and complaints through an SNS subscription",
               description = "The SNS topic's HTTP(S) subscription endpoint. Confirms the subscription "
                       + "(SubscriptionConfirmation), and records the Bounce and Complaint notifications of Notification "
                       + "messages. The SNS signature (SignatureVersion 1 or 2) is verified with the certificate at "
                       + "SigningCertURL, which must be https on sns.<region>.amazonaws.com.",
               responses = {@ApiResponse(responseCode = "200", description = "outcome: recorded, duplicate, "
                       + "unknown-delivery, ignored, subscription-confirmed or unsubscribed"),
                            @ApiResponse(responseCode = "400", description = "feedback.malformed"),
                            @ApiResponse(responseCode = "401", description = "feedback.signature-invalid"),
                            @ApiResponse(responseCode = "403", description = "feedback.sender-not-allowed: a topic "
                                    + "not in herald.feedback.ses.topic-arns")})
    @PostMapping(path = "/ses", consumes = MediaType.ALL_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    EmailFeedbackReceived ses(@RequestBody String body) {
        return receive(Provider.SES, body);
    }

    @Operation(operationId = "mailgunFeedback", summary = "Mailgun bounces (failed events) and complaints",
               description = "Mailgun's event webhook (JSON). The signature (HMAC-SHA256 of timestamp and token with "
                       + "the webhook signing key) is verified; stale timestamps and reused tokens are refused.",
               responses = {@ApiResponse(responseCode = "200", description = "outcome: recorded, duplicate, "
                       + "unknown-delivery or ignored"),
                            @ApiResponse(responseCode = "400", description = "feedback.malformed"),
                            @ApiResponse(responseCode = "401", description = "feedback.signature-invalid"),
                            @ApiResponse(responseCode = "404", description = "feedback.provider-not-configured")})
    @PostMapping(path = "/mailgun", consumes = MediaType.ALL_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    EmailFeedbackReceived mailgun(@RequestBody String body) {
        return receive(Provider.MAILGUN, body);
    }

    private EmailFeedbackReceived receive(Provider provider, String body) {
        return commandGateway.<EmailFeedbackReceived>send(new ReceiveEmailFeedbackCommand(provider, body)).join();
    }
}
