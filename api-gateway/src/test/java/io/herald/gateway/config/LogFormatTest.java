package io.herald.gateway.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogFormatTest {

    private static MockEnvironment after(MockEnvironment environment) {
        new LogFormat().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void textOrNothing_leavesPlainText() {
        assertThat(after(new MockEnvironment()).containsProperty(LogFormat.STRUCTURED)).isFalse();
        assertThat(after(new MockEnvironment().withProperty(LogFormat.PROPERTY, "text"))
                           .containsProperty(LogFormat.STRUCTURED)).isFalse();
    }

    @Test
    void json_isElasticCommonSchema_andTheOtherFormatsPassThrough() {
        assertThat(after(new MockEnvironment().withProperty(LogFormat.PROPERTY, "JSON"))
                           .getProperty(LogFormat.STRUCTURED)).isEqualTo("ecs");
        assertThat(after(new MockEnvironment().withProperty(LogFormat.PROPERTY, "logstash"))
                           .getProperty(LogFormat.STRUCTURED)).isEqualTo("logstash");
        assertThat(after(new MockEnvironment().withProperty(LogFormat.PROPERTY, " gelf "))
                           .getProperty(LogFormat.STRUCTURED)).isEqualTo("gelf");
    }

    @Test
    void springBootsOwnSetting_wins() {
        assertThat(after(new MockEnvironment().withProperty(LogFormat.PROPERTY, "json")
                                 .withProperty(LogFormat.STRUCTURED, "logstash"))
                           .getProperty(LogFormat.STRUCTURED)).isEqualTo("logstash");
    }

    @Test
    void anUnknownValue_stopsTheStart_namingTheSetting() {
        assertThatThrownBy(() -> after(new MockEnvironment().withProperty(LogFormat.PROPERTY, "yaml")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HERALD_LOG_FORMAT").hasMessageContaining("'yaml'");
    }
}
