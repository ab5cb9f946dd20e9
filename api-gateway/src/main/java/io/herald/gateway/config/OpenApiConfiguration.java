package io.herald.gateway.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs}: Herald's endpoints and how to authenticate. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI heraldOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Herald API").version("0.1.0")
                              .description("Campaigns, audience and delivery. Errors are RFC 9457 problem+json "
                                                   + "with a stable `code`; see README.md for the codes and who may "
                                                   + "call each endpoint.")
                              .license(new License().name("Apache-2.0")))
                .components(new Components()
                                    .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                            .scheme("bearer").bearerFormat("JWT")
                                            .description("Access token from POST /api/auth/login"))
                                    .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                            .in(SecurityScheme.In.HEADER).name("X-API-Key")
                                            .description("API key hk_… (also accepted as Bearer token)")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
