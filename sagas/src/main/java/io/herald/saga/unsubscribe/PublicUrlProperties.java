package io.herald.saga.unsubscribe;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code herald.public-url} ({@code HERALD_PUBLIC_URL}): where recipients reach Herald, the base of the
 * unsubscribe links put in messages. Not an absolute http(s) URL: refused at start-up, since every
 * link made from it would be broken.
 *
 * @param publicUrl e.g. {@code https://herald.example.com}; default {@code http://localhost:8080}
 */
@ConfigurationProperties("herald")
public record PublicUrlProperties(String publicUrl) {

    public PublicUrlProperties {
        publicUrl = publicUrl == null || publicUrl.isBlank() ? "http://localhost:8080" : publicUrl.strip();
        if (!absoluteHttp(publicUrl)) {
            throw new IllegalArgumentException("herald.public-url (HERALD_PUBLIC_URL) must be an absolute http or https URL, "
                                                       + "e.g. https://herald.example.com (it is " + publicUrl + ")");
        }
    }

    private static boolean absoluteHttp(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
