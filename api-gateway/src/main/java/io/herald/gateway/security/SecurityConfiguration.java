package io.herald.gateway.security;

import io.herald.gateway.ratelimit.RateLimitFilter;
import io.herald.gateway.ratelimit.RateLimitProperties;
import io.herald.gateway.ratelimit.RateLimiter;
import io.herald.gateway.web.ProblemWriter;
import io.herald.identity.apikey.ApiKeyService;
import io.herald.identity.principal.PrincipalCache;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import io.herald.gateway.web.DashboardResources;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import java.time.Duration;
import java.util.List;

/**
 * The security filter chain, built from {@link EndpointRules}: stateless, bearer tokens (Herald's own
 * and an optional external OIDC issuer) or API keys, deny by default under {@code /api}, problem+json
 * for 401/403, CORS from configuration, security headers, and rate limits once the caller is known.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    /**
     * No observation per security filter, authentication and authorization: with the registry's
     * {@code spring.security} observations off (application.yml) the filter chain was still wrapped
     * in observation decorators, 2–3 % of a small request's CPU.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring's strict firewall, its header checks without regular expressions ({@link HeaderChecks}). */
    @Bean
    WebSecurityCustomizer strictFirewall() {
        return web -> web.httpFirewall(HeaderChecks.firewall());
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtAuthentication jwt, ApiKeyService apiKeys,
                                    PrincipalCache principals, DashboardResources dashboard,
                                    ProblemWriter problems, RateLimiter rateLimiter,
                                    RateLimitProperties rateLimits) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems);
        BearerTokenResolver bearerTokens = HeaderChecks.bearerTokens(new DefaultBearerTokenResolver());
        http
                .csrf(csrf -> csrf.disable()) // no session; the refresh cookie is SameSite=Strict and path-scoped
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(cors -> { })
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers
                        // the API's policy everywhere but on the dashboard's pages, whose inline scripts are allowed by hash
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(DashboardResources.PAGES,
                                new StaticHeadersWriter("Content-Security-Policy", dashboard.contentSecurityPolicy())))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(DashboardResources.PAGES),
                                new StaticHeadersWriter("Content-Security-Policy", DashboardResources.API_POLICY)))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .frameOptions(f -> f.deny()))
                .authorizeHttpRequests(authorize -> {
                    for (String path : EndpointRules.PUBLIC_PATHS) {
                        authorize.requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(path)).permitAll();
                    }
                    for (EndpointRules.Rule rule : EndpointRules.RULES) {
                        authorize.requestMatchers(PathPatternRequestMatcher.withDefaults()
                                                          .matcher(rule.method(), rule.pattern()))
                                .access(decide(rule.access()));
                    }
                    // other methods on a known path reach Spring MVC, which answers 405 (EndpointSecurityMatrixIT
                    // makes sure every mapped method has its own rule above)
                    EndpointRules.RULES.stream().map(EndpointRules.Rule::pattern).distinct().forEach(pattern ->
                            authorize.requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(pattern))
                                    .authenticated());
                    authorize.requestMatchers(PathPatternRequestMatcher.withDefaults().matcher("/api/**")).denyAll();
                    authorize.requestMatchers(PathPatternRequestMatcher.withDefaults().matcher("/v1/**")).denyAll();
                    authorize.anyRequest().permitAll(); // the dashboard's static files
                })
                .oauth2ResourceServer(resource -> resource
                        .authenticationManagerResolver(jwt.resolver())
                        .bearerTokenResolver(request -> {
                            String token = bearerTokens.resolve(request);
                            return token == null || token.startsWith(ApiKeyService.KEY_PREFIX) ? null : token;
                        })
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, principals, handlers), BearerTokenAuthenticationFilter.class)
                .addFilterBefore(new WriteKeyInBodyFilter(problems), ApiKeyAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(rateLimiter, rateLimits, problems), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    private static AuthorizationManager<RequestAuthorizationContext> decide(Access access) {
        return (authentication, context) -> {
            if (access.isPublic()) {
                return new AuthorizationDecision(true);
            }
            return new AuthorizationDecision(authentication.get() instanceof HeraldAuthentication herald
                                                     && access.admits(herald.getPrincipal()));
        };
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(SecurityProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.cors().allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-API-Key", "X-Correlation-Id",
                                       "Idempotency-Key", "If-Match"));
        cors.setExposedHeaders(List.of("Location", "ETag", "X-Correlation-Id", "Retry-After", "RateLimit-Limit",
                                       "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"));
        cors.setAllowCredentials(true);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
