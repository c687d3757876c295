package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A passphrase erase with the master passphrase ({@code master_erase <keyid>}) through the agent.
 * The emulated kernel answers it as {@code security_erase()} in drivers/nvdimm/security.c and the
 * NFIT test firmware's {@code nd_intel_test_cmd_master_secure_erase()} do (read, not booted: no
 * guest here enables a master passphrase); the assumption is that real DIMMs answer as those do. A
 * wrong master passphrase is not a wrong user passphrase: the agent must not spend one of the user
 * passphrase's attempts on it.
 */
class MasterPassphraseEraseOnTheAgentTest extends AgentOnEmulatedKernel {

    static final String TOKEN = "agent-token-for-master-erases-0123";
    static final String USER = "the-dimms-user-passphrase";
    static final String MASTER = "the-dimms-master-passphrase";

    private Api startWithOneDimm() {
        Api api = startOn(TOKEN, List.of(), List.of(new EmulatedKernel.Nvdimm(7, 0xabcdL, USER)));
        assertThat(api.post("/agent/v1/regions/nd-region7/reset", "{\"fence\": 1}").status())
                .isEqualTo(200);
        return api;
    }

    private static Api.Response masterErase(Api api, String passphrase, String ticket) {
        return api.post(
                "/agent/v1/devices/0x0000abcd/erase",
                Api.json(
                        Map.of(
                                "method",
                                "passphrase-erase",
                                "master",
                                true,
                                "passphrase",
                                passphrase,
                                "ticket",
                                ticket)));
    }

    private static int attemptsLeft(Api api) {
        return api.get("/agent/v1/devices/0x0000abcd").json().path("unlockAttemptsLeft").asInt();
    }

    @Test
    void aWrongMasterPassphraseSpendsNoneOfTheUserPassphrasesAttempts() {
        Api api = startWithOneDimm();
        agent.kernel().masterPassphrase("nmem7", MASTER);

        Api.Response wrong = masterErase(api, USER, "m1");
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
        assertThat(wrong.text("code")).isEqualTo("wrong-passphrase");
        assertThat(wrong.text("errno")).isEqualTo("EINVAL");
        assertThat(wrong.text("detail")).contains("master", "no attempt counted");
        assertThat(wrong.json().path("attemptsLeft").asInt()).isEqualTo(3);
        assertThat(attemptsLeft(api)).isEqualTo(3);

        Api.Response right = masterErase(api, MASTER, "m2");
        assertThat(right.status()).as(right.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                "disabled"
                                        .equals(
                                                api.get("/agent/v1/devices/0x0000abcd")
                                                        .text("securityState")));
        assertThat(attemptsLeft(api)).isEqualTo(3);
    }

    @Test
    void aMasterEraseOfADimmWithoutAMasterPassphraseIsUnsupportedAndCountsNothing() {
        Api api = startWithOneDimm();

        Api.Response refused = masterErase(api, USER, "m3");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("errno")).isEqualTo("EOPNOTSUPP");
        assertThat(attemptsLeft(api)).isEqualTo(3);
        assertThat(api.get("/agent/v1/devices/0x0000abcd").text("securityState"))
                .isEqualTo("unlocked");
    }
}
