package io.herald.eventstore.files;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3FilesPropertiesTest {

    @Test
    void noBucket_isNoS3() {
        S3FilesProperties properties = new S3FilesProperties(" ", null, null, URI.create(""), false, "", "");
        assertThat(properties.enabled()).isFalse();
        assertThat(properties.region()).isEqualTo("us-east-1");
        assertThat(properties.endpoint()).isNull();
        assertThat(properties.prefix()).isEmpty();
    }

    @Test
    void aBucketName_mustBeOneS3Accepts() {
        assertThat(new S3FilesProperties("herald-uploads.prod", "", "eu-west-1", null, false, null, null).enabled())
                .isTrue();
        assertThatThrownBy(() -> new S3FilesProperties("Herald_Uploads", "", "", null, false, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("herald.files.s3.bucket");
        assertThatThrownBy(() -> new S3FilesProperties("s3://herald", "", "", null, false, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixedCredentials_comeInPairs() {
        assertThatThrownBy(() -> new S3FilesProperties("herald", "", "", null, false, "AKIA", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret-access-key");
        assertThat(new S3FilesProperties("herald", "", "", null, false, "AKIA", "secret").fixedCredentials()).isTrue();
        assertThat(new S3FilesProperties("herald", "", "", null, false, null, null).fixedCredentials()).isFalse();
    }
}
