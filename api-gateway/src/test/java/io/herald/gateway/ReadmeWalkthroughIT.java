package io.herald.gateway;

import io.herald.gateway.support.HeraldInstance;
import io.herald.eventstore.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the README's walk-through as written: the receiver command and the walk-through's lines are
 * read out of README.md and run by bash (curl, sed) against a fresh Herald started with the setting
 * the README's start command gives it. What the README says the reader will see is checked.
 */
class ReadmeWalkthroughIT {

    private static final Path README = Path.of("..", "README.md");

    /** The first ```bash block after the marker comment. */
    private static String block(String readme, String marker) {
        int at = readme.indexOf("<!-- " + marker + " -->\n");
        assertThat(at).as("README marker " + marker).isNotNegative();
        int start = readme.indexOf("```bash\n", at) + "```bash\n".length();
        return readme.substring(start, readme.indexOf("\n```", start));
    }

    private static boolean onPath(String command) {
        try {
            return new ProcessBuilder("bash", "-c", "command -v " + command).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Reads a process's output to its end on a thread of its own (the common pool may have one thread). */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }

    @Test
    void theWalkthrough_runsAsWritten_andDeliversTheCampaign() throws Exception {
        assumeTrue(onPath("node"), "the README's receiver is a Node.js one-liner: no node on this machine");
        assumeTrue(onPath("curl") && onPath("sed"), "the walk-through needs curl and sed");
        String readme = Files.readString(README);
        assertThat(readme).contains("HERALD_DELIVERY_ALLOW_PRIVATE_TARGETS=true ./mvnw -pl api-gateway -am spring-boot:run");
        String receiverCommand = block(readme, "walkthrough-receiver");
        String walkthrough = block(readme, "walkthrough");
        String flowWalkthrough = block(readme, "walkthrough-flow");

        Process receiver = new ProcessBuilder("bash", "-c", "exec " + receiverCommand).redirectErrorStream(true).start();
        CompletableFuture<String> received = drain(receiver.getInputStream());
        try (HeraldInstance herald = HeraldInstance.start(TestDatabases.newDatabase(),
                                                          "herald.delivery.allow-private-targets=true",
                                                          "herald.rate-limits.enabled=true")) {
            awaitListening(9099, Duration.ofSeconds(20));
            // the flow part goes on in the same shell (H, AUTH and the contacts of the campaign part)
            ProcessBuilder run = new ProcessBuilder("bash", "-c", walkthrough + "\n" + flowWalkthrough)
                    .redirectErrorStream(true);
            run.environment().put("H", "localhost:" + herald.port());
            Process script = run.start();
            CompletableFuture<String> output = drain(script.getInputStream());
            assertThat(script.waitFor(120, TimeUnit.SECONDS)).as("the walk-through ends").isTrue();
            String out = output.get(5, TimeUnit.SECONDS);
            assertThat(script.exitValue()).as(out).isZero();

            assertThat(out).as(out).doesNotContain("\"status\":4").doesNotContain("\"status\":5")
                    .contains("\"count\":1")
                    .contains("\"state\":\"DONE\"").contains("\"audience\":1").contains("\"sent\":1")
                    .contains("CampaignCreated").contains("CampaignLaunched").contains("CampaignAudienceFrozen")
                    .contains("CampaignCompleted")
                    // the flow: both runs ended, Ada's by the reminder after no order came
                    .contains("\"completed\":2").contains("entered on event 'Cart Abandoned'")
                    .contains("no 'Order Completed' within PT5S").contains("\"kind\":\"sent\"");
        } finally {
            receiver.destroy();
            receiver.waitFor(10, TimeUnit.SECONDS);
        }
        String printed = received.get(10, TimeUnit.SECONDS);
        assertThat(printed).contains("ada@example.com").contains("Hi Ada, 20% off this week")
                .doesNotContain("grace@example.com")
                .contains("Hi Ada, cart c-1 is waiting").doesNotContain("c-2");
    }

    private static void awaitListening(int port, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the README's receiver did not listen on " + port);
    }
}
