package io.herald.gateway.role;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeraldRoleTest {

    @Test
    void parse_acceptsTheFourRolesInAnyCase_andBlankIsAll() {
        assertThat(HeraldRole.parse(null)).isEqualTo(HeraldRole.ALL);
        assertThat(HeraldRole.parse(" ")).isEqualTo(HeraldRole.ALL);
        assertThat(HeraldRole.parse("API")).isEqualTo(HeraldRole.API);
        assertThat(HeraldRole.parse(" worker ")).isEqualTo(HeraldRole.WORKER);
        assertThat(HeraldRole.parse("migrate")).isEqualTo(HeraldRole.MIGRATE);
        assertThat(HeraldRole.parse("all")).isEqualTo(HeraldRole.ALL);
    }

    @Test
    void parse_anUnknownRole_isRefusedNamingTheSettingAndTheChoices() {
        assertThatThrownBy(() -> HeraldRole.parse("scheduler"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HERALD_ROLE")
                .hasMessageContaining("all, api, worker, migrate")
                .hasMessageContaining("'scheduler'");
    }

    @Test
    void apiRole_turnsTheWorkersOff_overTheirOwnSwitches() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("herald.role", "api")
                .withProperty(HeraldRole.DELIVERY_WORKER, "true");
        new HeraldRoleEnvironment().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(HeraldRole.DELIVERY_WORKER)).isEqualTo("false");
        assertThat(environment.getProperty(HeraldRole.IMPORT_WORKER)).isEqualTo("false");
        assertThat(environment.getProperty(HeraldRole.FLOW_WORKER)).isEqualTo("false");
        assertThat(HeraldRole.API.runsSagas()).isFalse();
        assertThat(HeraldRole.API.servesApi()).isTrue();
    }

    @Test
    void workerRole_turnsTheWorkersOn() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("herald.role", "worker")
                .withProperty(HeraldRole.DELIVERY_WORKER, "false");
        new HeraldRoleEnvironment().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(HeraldRole.DELIVERY_WORKER)).isEqualTo("true");
        assertThat(environment.getProperty(HeraldRole.IMPORT_WORKER)).isEqualTo("true");
        assertThat(environment.getProperty(HeraldRole.FLOW_WORKER)).isEqualTo("true");
        assertThat(HeraldRole.WORKER.runsSagas()).isTrue();
        assertThat(HeraldRole.WORKER.servesApi()).isFalse();
    }

    @Test
    void allRole_leavesEverySwitchAsGiven() {
        MockEnvironment environment = new MockEnvironment().withProperty(HeraldRole.DELIVERY_WORKER, "false");
        new HeraldRoleEnvironment().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(HeraldRole.DELIVERY_WORKER)).isEqualTo("false");
        assertThat(environment.getProperty(HeraldRole.IMPORT_WORKER)).isNull();
    }

    @Test
    void environmentPostProcessor_refusesAnUnknownRole() {
        MockEnvironment environment = new MockEnvironment().withProperty("herald.role", "everything");
        assertThatThrownBy(() -> new HeraldRoleEnvironment().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("HERALD_ROLE");
    }
}
