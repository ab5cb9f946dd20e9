package io.herald.eventstore.files;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.time.Duration;

/** {@link S3Files}, when {@code herald.files.s3.bucket} is set. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(S3FilesProperties.class)
public class S3FilesConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("!'${herald.files.s3.bucket:}'.isBlank()")
    S3Client heraldS3Client(S3FilesProperties properties) {
        return client(properties);
    }

    @Bean
    @ConditionalOnExpression("!'${herald.files.s3.bucket:}'.isBlank()")
    S3Files s3Files(S3Client heraldS3Client, S3FilesProperties properties) {
        return new S3Files(heraldS3Client, properties.bucket(), properties.prefix());
    }

    /**
     * The client: the JDK's HTTP connection (no Netty, no Apache client); checksums only where S3 requires them and
     * bodies sent whole, not in {@code aws-chunked} encoding (Herald holds each part in memory anyway, and not every
     * S3-compatible store reads checksum trailers or chunk signatures; SigV4 still signs each body's hash).
     */
    public static S3Client client(S3FilesProperties properties) {
        return builder(properties).build();
    }

    /** {@link #client}'s builder, for a caller that adds to it. */
    public static S3ClientBuilder builder(S3FilesProperties properties) {
        AwsCredentialsProvider credentials = properties.fixedCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(properties.accessKeyId(),
                                                                              properties.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                                    .socketTimeout(Duration.ofSeconds(60)).build())
                .region(Region.of(properties.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(properties.pathStyle())
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
        }
        return builder;
    }
}
