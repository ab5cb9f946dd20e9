package io.herald.eventstore.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;


/**
 * Chooses the database: {@code herald.database.url} ({@code HERALD_DATABASE_URL}), else
 * {@code spring.datasource.url}, else an embedded PostgreSQL with its data under
 * {@code herald.data-dir}. Whatever is chosen sits behind a Hikari pool.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({HeraldDatabaseProperties.class, DataSourceProperties.class})
public class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    @Conditional(NoDatabaseConfigured.class)
    EmbeddedPostgresServer embeddedPostgresServer(HeraldDatabaseProperties properties) {
        return EmbeddedPostgresServer.start(properties.embeddedDataDirectory(), properties.database().embedded().port());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(HeraldDatabaseProperties properties, DataSourceProperties spring,
                                ObjectProvider<EmbeddedPostgresServer> embedded) {
        String url;
        String username;
        String password;
        HeraldDatabaseProperties.Database herald = properties.database();
        if (StringUtils.hasText(herald.url())) {
            url = herald.url();
            username = firstText(herald.username(), spring.getUsername());
            password = firstText(herald.password(), spring.getPassword());
        } else if (StringUtils.hasText(spring.getUrl())) {
            url = spring.getUrl();
            username = spring.getUsername();
            password = spring.getPassword();
        } else {
            url = embedded.getObject().jdbcUrl();
            username = "postgres";
            password = null;
        }
        HikariDataSource dataSource = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .driverClassName("org.postgresql.Driver")
                .url(url)
                .username(username)
                .password(password)
                .build();
        dataSource.setPoolName("herald");
        return dataSource;
    }

    private static String firstText(String first, String second) {
        return StringUtils.hasText(first) ? first : second;
    }

    /** True when neither {@code herald.database.url} nor {@code spring.datasource.url} is set. */
    static final class NoDatabaseConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            return !StringUtils.hasText(environment.getProperty("herald.database.url"))
                    && !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
        }
    }
}
