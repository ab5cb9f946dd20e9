package io.herald.saga.engagement;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MachineTrafficTest {

    private static final Instant SENT = Instant.parse("2026-03-01T12:00:00Z");
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/120.0 Safari/537.36";
    private final MachineTraffic machines = new MachineTraffic(Duration.ofSeconds(10));

    @Test
    void userAgentClasses() {
        assertThat(MachineTraffic.userAgentClass("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 "
                                                         + "(via ggpht.com GoogleImageProxy)")).isEqualTo("image-proxy:google");
        assertThat(MachineTraffic.userAgentClass("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"))
                .isEqualTo("image-proxy:yahoo");
        assertThat(MachineTraffic.userAgentClass("Mozilla/5.0")).isEqualTo("image-proxy:apple");
        assertThat(MachineTraffic.userAgentClass("python-requests/2.31")).isEqualTo("automated");
        assertThat(MachineTraffic.userAgentClass("Barracuda Sentinel (EE)")).isEqualTo("automated");
        assertThat(MachineTraffic.userAgentClass("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"))
                .isEqualTo("mobile");
        assertThat(MachineTraffic.userAgentClass("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                                                         + "(KHTML, like Gecko)")).isEqualTo("mail-client");
        assertThat(MachineTraffic.userAgentClass(CHROME)).isEqualTo("browser");
        assertThat(MachineTraffic.userAgentClass(null)).isEqualTo("unknown");
        assertThat(MachineTraffic.userAgentClass("  ")).isEqualTo("unknown");
        assertThat(MachineTraffic.userAgentClass("SomethingElse/1")).isEqualTo("other");
    }

    @Test
    void open_byAnImageProxy_isAMachines_evenLongAfterTheSend() {
        assertThat(machines.open("image-proxy:google", SENT, SENT.plus(Duration.ofHours(3))))
                .isEqualTo(new MachineTraffic.Verdict(true, MachineTraffic.IMAGE_PROXY));
        assertThat(machines.open("image-proxy:apple", SENT, SENT.plus(Duration.ofHours(3))).machine()).isTrue();
        assertThat(machines.open("automated", SENT, SENT.plus(Duration.ofHours(3))).reason())
                .isEqualTo(MachineTraffic.AUTOMATED);
    }

    @Test
    void open_withinTheWindowOfTheSend_isAMachines_afterItAPersons() {
        assertThat(machines.open("browser", SENT, SENT.plusSeconds(3)).reason()).isEqualTo(MachineTraffic.SOON_AFTER_SEND);
        assertThat(machines.open("browser", SENT, SENT.plusSeconds(10)).reason()).isEqualTo(MachineTraffic.SOON_AFTER_SEND);
        assertThat(machines.open("browser", SENT, SENT.plusSeconds(12))).isEqualTo(new MachineTraffic.Verdict(false, null));
        assertThat(new MachineTraffic(Duration.ZERO).open("browser", SENT, SENT).machine()).as("no window").isFalse();
    }

    @Test
    void click_soonAfterTheSend_orByAScanner_isAMachines() {
        Instant later = SENT.plus(Duration.ofMinutes(5));
        assertThat(machines.click("browser", SENT, SENT.plusSeconds(2), 0, true, SENT, null, -1).reason())
                .isEqualTo(MachineTraffic.SOON_AFTER_SEND);
        assertThat(machines.click("automated", SENT, later, 0, true, SENT, null, -1).reason())
                .isEqualTo(MachineTraffic.AUTOMATED);
    }

    @Test
    void click_onAnotherLinkWithinASecondOfTheLast_isABurst_theSameLinkAgainIsNot() {
        Instant opened = SENT.plus(Duration.ofMinutes(1));
        Instant last = SENT.plus(Duration.ofMinutes(5));

        assertThat(machines.click("browser", SENT, last.plusMillis(300), 1, true, opened, last, 0).reason())
                .isEqualTo(MachineTraffic.LINK_BURST);
        assertThat(machines.click("browser", SENT, last.plusMillis(300), 0, true, opened, last, 0).machine())
                .as("a double click").isFalse();
        assertThat(machines.click("browser", SENT, last.plusMillis(1500), 1, true, opened, last, 0).machine()).isFalse();
    }

    @Test
    void click_beforeAnyOpen_ofAnEmailWithThePixel_isAMachines_withoutThePixelItIsNot() {
        Instant later = SENT.plus(Duration.ofMinutes(5));

        assertThat(machines.click("browser", SENT, later, 0, true, null, null, -1).reason())
                .isEqualTo(MachineTraffic.CLICK_BEFORE_OPEN);
        assertThat(machines.click("browser", SENT, later, 0, false, null, null, -1).machine()).isFalse();
        assertThat(machines.click("mobile", SENT, later, 0, true, SENT.plusSeconds(30), null, -1))
                .isEqualTo(new MachineTraffic.Verdict(false, null));
    }
}
