package io.lethe.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedAgent;
import io.lethe.agent.EmulatedKernel;
import io.lethe.support.Api;
import io.lethe.support.LetheCli;
import io.lethe.support.TestInventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Issue 34, defect 4, the service's half: after a power cycle an admin resets a device's estimated
 * count of wrong passphrases through the API, the agent forgets its count, the device shows what
 * the host now reports, and the reset is audited with the admin's name. The agent runs over an
 * emulated kernel whose mailbox failed once without the device counting (an ENXIO that was no wrong
 * passphrase).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnlockAttemptEstimateResetTest {

    static final String TOKEN = "agent-token-for-the-reset-0123";
    static final String PASSPHRASE = "the-locked-device-passphrase";

    @TempDir Path root;
    @LocalServerPort int port;
    EmulatedAgent agent;

    @BeforeEach
    void startAgent() {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root, PASSPHRASE, false, Duration.ofSeconds(3), 0x7a000),
                        TOKEN);
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }

    @Test
    void anAdminResetsTheEstimateAfterAPowerCycleAndItIsAudited() throws Exception {
        Api api = new Api(port);
        String host =
                TestInventory.agentHost(api, "estimate-" + UUID.randomUUID(), agent.url(), TOKEN);
        assertThat(api.post("/api/v1/hosts/" + host + "/discover", "").status()).isEqualTo(200);
        Api.Response ambiguous = ambiguousRefusal("busy");
        assertThat(ambiguous.json().path("attemptsLeft").asInt()).isEqualTo(2);
        String device = TestInventory.deviceBySerial(api, host, "0x7a002");

        Api.Response reset = api.post("/api/v1/devices/" + device + "/unlock-attempts/reset", "");
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(reset.json().path("unlockAttemptsLeft").asInt()).isEqualTo(3);
        JsonNode audited =
                api.get("/api/v1/audit?deviceId=" + device + "&limit=100").json().path("items");
        assertThat(audited.toString())
                .contains("unlock-attempt-estimate-reset", "after a power cycle");

        // the same through the CLI
        ambiguousRefusal("busy-again");
        LetheCli.Run cli =
                new LetheCli(port, root).run("devices", "reset-attempts", device, "-o", "json");
        assertThat(cli.exit()).as(cli.out() + cli.err()).isZero();
        assertThat(cli.json().path("unlockAttemptsLeft").asInt()).isEqualTo(3);

        String simulatedHost = TestInventory.simulatedHost(api, "exact-" + UUID.randomUUID());
        String simulated = TestInventory.device(api, simulatedHost, "EX-" + UUID.randomUUID());
        Api.Response refused =
                api.post("/api/v1/devices/" + simulated + "/unlock-attempts/reset", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("type").asString()).endsWith("attempt-estimate-not-reset");
    }

    /** A passphrase erase the device's mailbox refuses once without counting (ENXIO). */
    private Api.Response ambiguousRefusal(String ticket) {
        agent.kernel().mailboxFailsOnce("nmem2");
        return new Api(agent.port(), TOKEN)
                .post(
                        "/agent/v1/devices/0x7a002/erase",
                        Api.json(
                                Map.of(
                                        "method",
                                        "passphrase-erase",
                                        "passphrase",
                                        PASSPHRASE,
                                        "ticket",
                                        ticket)));
    }
}
