package io.lethe.backend.hostagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentTargetsTest {

    @Test
    void httpsIsRequiredUnlessPlainHttpIsAllowed() {
        AgentTargets strict = new AgentTargets(false, List.of());
        assertThat(strict.refusal("https://r7-n12.example:7443")).isNull();
        assertThat(strict.refusal("http://r7-n12.example:7443")).contains("must be https");
        assertThat(strict.refusal("ftp://r7-n12.example")).contains("must be https");
        assertThat(new AgentTargets(true, List.of()).refusal("http://127.0.0.1:7443")).isNull();
    }

    @Test
    void linkLocalMetadataAddressesAreRefused() {
        AgentTargets any = new AgentTargets(true, List.of());
        assertThat(any.refusal("http://169.254.169.254/latest/meta-data")).contains("link-local");
        assertThat(any.refusal("https://[fe80::1]:7443")).contains("link-local");
        assertThat(any.refusal("https://user:pw@r7.example")).contains("user information");
    }

    @Test
    void anAllowListAdmitsOnlyTheNamesAndBlocksItLists() {
        AgentTargets listed =
                new AgentTargets(false, List.of("*.agents.example", "10.20.0.0/16", "r1.example"));
        assertThat(listed.refusal("https://n1.agents.example:7443")).isNull();
        assertThat(listed.refusal("https://r1.example")).isNull();
        assertThat(listed.refusal("https://10.20.3.4:7443")).isNull();
        assertThat(listed.refusal("https://10.21.3.4:7443")).contains("allowed-targets");
        assertThat(listed.refusal("https://agents.example.evil.test")).contains("allowed-targets");
        assertThat(listed.refusal("https://r1.example.evil.test")).contains("allowed-targets");
        assertThat(
                        new AgentTargets(false, List.of("169.254.169.254/32"))
                                .refusal("https://169.254.169.254"))
                .isNull();
    }
}
