package io.herald.gateway.unsubscribe;

import io.herald.api.campaign.Channel;
import io.herald.api.common.DomainException;
import io.herald.api.delivery.FindUnsubscribeLinkQuery;
import io.herald.api.delivery.UnsubscribeCommand;
import io.herald.api.delivery.UnsubscribeLinkView;
import io.swagger.v3.oas.annotations.Hidden;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletionStage;

/**
 * The unsubscribe link of every message ({@code List-Unsubscribe} in e-mail): pages for people,
 * not JSON. {@code GET} only shows what the link does and a button (link scanners that prefetch
 * GETs must not unsubscribe anyone); {@code POST} unsubscribes: the button, or a mail client's
 * one-click request ({@code List-Unsubscribe=One-Click}, RFC 8058), which needs no session, cookie
 * or CSRF token. Public: the signed token is the authorization.
 */
@Hidden
@RestController
@RequestMapping("/unsubscribe")
class UnsubscribeController {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeController.class);
    private static final int MAX_TOKEN_LENGTH = 1000;

    private final CommandGateway commandGateway;
    private final QueryGateway queryGateway;

    UnsubscribeController(CommandGateway commandGateway, QueryGateway queryGateway) {
        this.commandGateway = commandGateway;
        this.queryGateway = queryGateway;
    }

    @GetMapping("/{token}")
    ResponseEntity<String> confirm(@PathVariable("token") String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return invalid();
        }
        UnsubscribeLinkView link;
        try {
            link = queryGateway.query(new FindUnsubscribeLinkQuery(token), UnsubscribeLinkView.class).join();
        } catch (RuntimeException e) {
            return failed(e);
        }
        if (link == null) {
            return invalid();
        }
        return page(HttpStatus.OK, "Unsubscribe", """
                <h1>Unsubscribe</h1>
                <p>Do you want to stop receiving %s from us?</p>
                <form method="post">
                <input type="hidden" name="confirm" value="yes">
                <button type="submit">Unsubscribe</button>
                </form>
                <p>If you did not mean to unsubscribe, just close this page.</p>
                """.formatted(describe(link.channel())));
    }

    @PostMapping("/{token}")
    ResponseEntity<String> unsubscribe(@PathVariable("token") String token,
                                       @RequestParam(name = "List-Unsubscribe", required = false) String oneClick) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return invalid();
        }
        String source = "One-Click".equalsIgnoreCase(oneClick) ? UnsubscribeCommand.SOURCE_ONE_CLICK
                                                                : UnsubscribeCommand.SOURCE_LINK;
        UnsubscribeLinkView done;
        try {
            // the handler answers with a CompletionStage (it dispatches the consent change without waiting)
            Object result = commandGateway.send(new UnsubscribeCommand(token, source)).join();
            if (result instanceof CompletionStage<?> stage) {
                result = stage.toCompletableFuture().join();
            }
            done = (UnsubscribeLinkView) result;
        } catch (RuntimeException e) {
            if (isInvalidLink(e)) {
                return invalid();
            }
            return failed(e);
        }
        return page(HttpStatus.OK, "Unsubscribed", """
                <h1>You are unsubscribed</h1>
                <p>You are unsubscribed from %s. We will not send you any more.</p>
                <p>You can close this page.</p>
                """.formatted(describe(done.channel())));
    }

    private static boolean isInvalidLink(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DomainException de && UnsubscribeCommand.LINK_INVALID.equals(de.code())) {
                return true;
            }
            if (t instanceof AggregateNotFoundException) { // signed for a contact that does not exist (any more)
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<String> invalid() {
        return page(HttpStatus.NOT_FOUND, "Link not valid", """
                <h1>This unsubscribe link is not valid</h1>
                <p>The link may have been cut short or changed when it was copied.
                Please open it again from the message you received, or reply to that message to be removed.</p>
                """);
    }

    private static ResponseEntity<String> failed(RuntimeException e) {
        log.error("Unsubscribe failed", e);
        return page(HttpStatus.SERVICE_UNAVAILABLE, "Please try again", """
                <h1>Something went wrong</h1>
                <p>We could not process your request just now. Please try again in a few minutes.</p>
                """);
    }

    private static String describe(Channel channel) {
        return switch (channel) {
            case EMAIL -> "e-mail";
            case SMS -> "text messages (SMS)";
            case WEBHOOK -> "these messages";
        };
    }

    /** A small self-contained page: no scripts, no external resources, nothing from the request echoed. */
    private static ResponseEntity<String> page(HttpStatus status, String title, String body) {
        String html = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex, nofollow">
                <title>%s</title>
                </head>
                <body>
                <main>
                %s</main>
                </body>
                </html>
                """.formatted(title, body);
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .body(html);
    }
}
