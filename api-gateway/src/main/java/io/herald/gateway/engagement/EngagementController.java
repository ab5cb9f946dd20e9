package io.herald.gateway.engagement;

import io.herald.api.common.DomainException;
import io.herald.api.engagement.EngagementRecorded;
import io.herald.api.engagement.RecordEngagementCommand;
import io.herald.gateway.config.GatewayProperties;
import io.herald.gateway.contact.Queries;
import io.herald.gateway.web.GroupCommit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Base64;
import java.util.List;

/**
 * The e-mail tracking endpoints, called by mail clients, image proxies and people, not by API clients. Public: the
 * signed token is the authorization. {@code GET /t/o/{token}} answers a 1×1 transparent GIF whatever happens (a
 * forged or cut token, or a failure, records nothing but still answers the image, so no mail client shows a broken
 * image); {@code GET /t/c/{token}} redirects (302) to the URL signed into the token, or answers 404 problem+json
 * ({@code engagement.link-invalid}) when the token is not one Herald made. Neither stores the address or the user
 * agent: only the user agent's class.
 */
@RestController
@RequestMapping("/t")
class EngagementController implements DisposableBean {

    /** Error code of a click token that is malformed, cut short, or not signed by this installation. */
    static final String LINK_INVALID = "engagement.link-invalid";
    private static final int MAX_TOKEN_LENGTH = 4096;
    private static final Logger log = LoggerFactory.getLogger(EngagementController.class);
    /** A 1×1 transparent GIF (GIF89a, one transparent pixel). */
    static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    /** The opens and clicks of concurrent requests, recorded together (the tracking endpoints' group commit settings). */
    private final GroupCommit<RecordEngagementCommand.Hit, EngagementRecorded> hits;

    EngagementController(CommandGateway commandGateway, GatewayProperties properties) {
        this.hits = new GroupCommit<>("engagement", properties.tracking().groupCommit().writers(),
                                      properties.tracking().groupCommit().maxEvents(), hit -> "", group -> record(
                                              commandGateway, group),
                                      failure -> true); // a failed group is written again hit by hit
    }

    @SuppressWarnings("unchecked")
    private static List<EngagementRecorded> record(CommandGateway commandGateway,
                                                   List<RecordEngagementCommand.Hit> group) {
        try {
            return (List<EngagementRecorded>) Queries.sendRetrying(commandGateway, new RecordEngagementCommand(group));
        } catch (RuntimeException e) {
            throw Queries.unwrap(e);
        }
    }

    @Override
    public void destroy() {
        hits.close();
    }

    @Operation(operationId = "emailOpenPixel", summary = "An e-mail's open pixel: records an EmailOpened event",
               description = "Public (the signed token is the authorization). Always answers the 1x1 transparent GIF; "
                       + "a token that is not valid records nothing.",
               responses = @ApiResponse(responseCode = "200", description = "image/gif, 1x1 transparent, no-store"))
    @GetMapping("/o/{token}")
    ResponseEntity<byte[]> open(@PathVariable("token") String token,
                                @RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent) {
        if (token.length() <= MAX_TOKEN_LENGTH) {
            try {
                hits.submit(new RecordEngagementCommand.Hit(false, token, userAgent));
            } catch (RuntimeException e) {
                log.warn("An e-mail open could not be recorded: {}", e.toString());
            }
        }
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_GIF)
                .cacheControl(CacheControl.noStore().mustRevalidate().cachePrivate())
                .header(HttpHeaders.PRAGMA, "no-cache")
                .body(PIXEL);
    }

    @Operation(operationId = "emailLinkRedirect", summary = "A tracked e-mail link: records a LinkClicked event and "
            + "redirects to the URL signed into the token",
               description = "Public (the signed token is the authorization). Redirects only to URLs that were in the sent "
                       + "content.",
               responses = {@ApiResponse(responseCode = "302", description = "Location: the original URL"),
                            @ApiResponse(responseCode = "404", description = "engagement.link-invalid: not a token Herald made")})
    @GetMapping("/c/{token}")
    ResponseEntity<Void> click(@PathVariable("token") String token,
                               @RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent) {
        EngagementRecorded recorded = token.length() > MAX_TOKEN_LENGTH ? null
                : hits.submit(new RecordEngagementCommand.Hit(true, token, userAgent));
        if (recorded == null || recorded.link() == null) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, LINK_INVALID,
                                      "This link is not valid: it may have been cut short or changed when it was copied");
        }
        return ResponseEntity.status(HttpStatus.FOUND)
                .header(HttpHeaders.LOCATION, recorded.link())
                .cacheControl(CacheControl.noStore().cachePrivate())
                .header("Referrer-Policy", "no-referrer")
                .build();
    }
}
