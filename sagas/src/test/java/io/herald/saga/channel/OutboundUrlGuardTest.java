package io.herald.saga.channel;

import io.herald.saga.delivery.DeliveryProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundUrlGuardTest {

    private final OutboundUrlGuard strict = new OutboundUrlGuard(false);

    @Test
    void internalAddresses_areRefused() {
        for (String url : new String[] {"http://127.0.0.1/x", "http://localhost:8080/", "http://10.1.2.3/",
                "http://192.168.0.1/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/", "http://0.0.0.0/", "http://[fd00::1]/"}) {
            assertThat(strict.refusal(URI.create(url))).as(url).isPresent();
        }
    }

    @Test
    void publicAddresses_andAllowedPrivateOnes_pass() {
        assertThat(strict.refusal(URI.create("https://93.184.215.14/hook"))).isEmpty();
        assertThat(new OutboundUrlGuard(true).refusal(URI.create("http://127.0.0.1:9/hook"))).isEmpty();
    }

    @Test
    void refusal_namesTheSettingThatReallyAllowsPrivateTargets() {
        String refusal = strict.refusal(URI.create("http://127.0.0.1:9/hook")).orElseThrow();
        // the setting it names is the one the delivery properties bind (prefix + kebab-cased component)
        String prefix = DeliveryProperties.class.getAnnotation(ConfigurationProperties.class).value();
        boolean bound = java.util.Arrays.stream(DeliveryProperties.class.getRecordComponents())
                .anyMatch(c -> c.getName().equals("allowPrivateTargets"));
        assertThat(bound).isTrue();
        assertThat(refusal).contains(prefix + ".allow-private-targets")
                .contains("HERALD_DELIVERY_ALLOW_PRIVATE_TARGETS");
    }

    @Test
    void nonHttpSchemes_areRefused() {
        assertThat(strict.refusal(URI.create("file:///etc/passwd"))).isPresent();
        assertThat(strict.refusal(URI.create("ftp://93.184.215.14/"))).isPresent();
    }
}
