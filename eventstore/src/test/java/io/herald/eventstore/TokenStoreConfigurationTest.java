package io.herald.eventstore;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class TokenStoreConfigurationTest {

    @Test
    void ownerName_isThisProcessAndHost_withASuffixOfItsOwn_soTwoInstancesNeverShareOne() {
        String first = TokenStoreConfiguration.processOwnerName();
        String second = TokenStoreConfiguration.processOwnerName();

        assertThat(first).startsWith(ManagementFactory.getRuntimeMXBean().getName() + "/").matches(".*/[0-9a-f]{8}");
        assertThat(second).isNotEqualTo(first);
        assertThat(first.length()).isLessThanOrEqualTo(255); // token_entry.owner
    }
}
