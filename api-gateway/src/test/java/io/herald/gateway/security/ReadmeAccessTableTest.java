package io.herald.gateway.security;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's access table lists every rule of {@link EndpointRules} as it is. */
class ReadmeAccessTableTest {

    @Test
    void readme_listsEveryEndpointRule() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (EndpointRules.Rule rule : EndpointRules.RULES) {
            String row = "| `" + rule.method().name() + " " + rule.pattern() + "` | " + rule.access().describe() + " |";
            assertThat(readme).as("README row for %s %s", rule.method(), rule.pattern()).contains(row);
        }
    }
}
