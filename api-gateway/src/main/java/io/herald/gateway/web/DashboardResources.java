package io.herald.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The dashboard (the {@code dashboard} module's static export, on the classpath under {@code static/}):
 * {@code /campaigns/} is {@code static/campaigns/index.html}, {@code /_next/static/**} is cached for a
 * year (its names carry a hash), pages are revalidated. Its pages run a few inline scripts (Next.js
 * hydration data), allowed by their SHA-256 from {@code static/csp-hashes.json}, written by the build;
 * everything else keeps the API's policy.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardResources implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(DashboardResources.class);

    public static final String API_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private static final List<String> NOT_DASHBOARD = List.of("/api/**", "/v1/**", "/v3/api-docs", "/v3/api-docs/**",
                                                              "/swagger-ui.html", "/swagger-ui/**", "/actuator/**",
                                                              "/.well-known/**", "/error");

    /** The dashboard's pages and files: every path that is not the API, its documents or the actuator. */
    public static final RequestMatcher PAGES = new NegatedRequestMatcher(new OrRequestMatcher(
            NOT_DASHBOARD.stream().map(p -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(p)).toList()));

    private final boolean present;
    private final String policy;

    public DashboardResources() {
        Resource hashes = new ClassPathResource("static/csp-hashes.json");
        this.present = new ClassPathResource("static/index.html").exists();
        List<String> allowed = new ArrayList<>();
        if (hashes.exists()) {
            try (InputStream in = hashes.getInputStream()) {
                JsonNode all = new ObjectMapper().readTree(in).path("all");
                all.forEach(h -> allowed.add(h.asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("static/csp-hashes.json cannot be read", e);
            }
        }
        this.policy = API_POLICY.replace("default-src 'self';",
                                         "default-src 'self'; script-src 'self'" + (allowed.isEmpty() ? "" : " " + String.join(" ", allowed)) + ";");
        log.info(present ? "Dashboard: served at / ({} inline scripts allowed by hash)" : "Dashboard: not in this build (API only)",
                 allowed.size());
    }

    public String contentSecurityPolicy() {
        return policy;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        if (!present) {
            return;
        }
        registry.addResourceHandler("/_next/static/**")
                .addResourceLocations("classpath:/static/_next/static/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/**")
                .addResourceLocations("classpath:/static/")
                .setCacheControl(CacheControl.noCache())
                .resourceChain(true)
                .addResolver(new PathResourceResolver() {
                    @Override
                    protected Resource getResource(String path, Resource location) throws IOException {
                        if (!path.isEmpty() && !path.endsWith("/")) {
                            Resource file = location.createRelative(path);
                            if (file.isReadable()) { // directories (and empty files) are not readable
                                return file;
                            }
                        }
                        Resource page = location.createRelative(
                                path.isEmpty() || path.endsWith("/") ? path + "index.html" : path + "/index.html");
                        return page.isReadable() ? page : null;
                    }
                });
    }
}
