package io.herald.saga.unsubscribe;

import io.herald.saga.delivery.DeliveryProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code herald.public-url} and {@code herald.delivery.unsubscribe.secret}, as bound from their documented names. */
class UnsubscribeSettingsTest {

    @Test
    void unset_takesTheDocumentedDefaults() {
        assertThat(binder(Map.of()).bindOrCreate("herald", PublicUrlProperties.class).publicUrl())
                .isEqualTo("http://localhost:8080");
        assertThat(binder(Map.of()).bindOrCreate("herald.delivery", DeliveryProperties.class).unsubscribe().secret())
                .isEmpty();
    }

    @Test
    void theDocumentedPropertyNames_bind() {
        Binder binder = binder(Map.of("herald.public-url", "https://herald.example.com/",
                                      "herald.delivery.unsubscribe.secret", "0123456789abcdef0123456789abcdef"));
        assertThat(binder.bindOrCreate("herald", PublicUrlProperties.class).publicUrl())
                .isEqualTo("https://herald.example.com/");
        assertThat(binder.bindOrCreate("herald.delivery", DeliveryProperties.class).unsubscribe().secret())
                .isEqualTo("0123456789abcdef0123456789abcdef");
    }

    @Test
    void aPublicUrlLinksCannotBeMadeFrom_isRefused_namingTheProperty() {
        for (String url : new String[] {"herald.example.com", "ftp://herald.example.com", "http://", "not a url"}) {
            assertThatThrownBy(() -> binder(Map.of("herald.public-url", url)).bindOrCreate("herald", PublicUrlProperties.class))
                    .as(url)
                    .isInstanceOf(BindException.class)
                    .rootCause().hasMessageContaining("herald.public-url (HERALD_PUBLIC_URL) must be an absolute http or https URL");
        }
    }

    private static Binder binder(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties));
    }
}
