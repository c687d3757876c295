package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.agent.EmulatedAgent;
import io.lethe.agent.EmulatedKernel;
import io.lethe.support.Api;
import io.lethe.support.LetheCli;
import io.lethe.support.TestInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Issue 34, defect 6, over HTTP: an unlock request chooses the host's own key ({@code "key":
 * "host-key"}) without breaking bodies that only give a passphrase; the agent loads the sealed blob
 * ndctl keeps on the host, no passphrase travels, and the operation records which key it used. The
 * agent runs over an emulated kernel with its host key enabled for the locked device only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnlockWithTheHostsKeyTest {

    static final String TOKEN = "agent-token-for-the-host-key-4567";
    static final String PASSPHRASE = "the-passphrase-ndctl-set-up";
    // memdev 0x7b002 (nmem2): the kernel looks its key up as nvdimm:503810
    static final String BLOB = "nvdimm_503810_lethe-test-host.blob";

    @TempDir Path root;
    @TempDir Path keys;
    @LocalServerPort int port;
    EmulatedAgent agent;

    /** An agent whose memdev serials start at this base; its host key is enabled for base + 2. */
    private void startAgent(long base) {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root, PASSPHRASE, false, Duration.ofSeconds(3), base),
                        TOKEN,
                        "--lethe.agent.host-key-dir=" + keys,
                        "--lethe.agent.host-key-serials=0x" + Long.toHexString(base + 2));
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void anUnlockWithTheHostsKeyLoadsTheSealedBlobAndTheOperationSaysSo() throws Exception {
        startAgent(0x7b000);
        Api api = new Api(port);
        String host =
                TestInventory.agentHost(api, "host-key-" + UUID.randomUUID(), agent.url(), TOKEN);
        assertThat(api.post("/api/v1/hosts/" + host + "/discover", "").status()).isEqualTo(200);
        String device = TestInventory.deviceBySerial(api, host, "0x7b002");

        // no blob on the host yet: the agent refuses before the device, nothing is counted
        JsonNode noBlob = unlock(api, device, Map.of("key", "host-key"));
        assertThat(noBlob.path("state").asString()).as(noBlob.toString()).isEqualTo("failed");
        // the agent's own words (they name the file it looked for) stay on the host
        assertThat(noBlob.path("error").asString()).contains("no usable key");
        assertThat(api.get("/api/v1/devices/" + device).json().path("unlockAttemptsLeft").asInt())
                .isEqualTo(3);

        Files.writeString(keys.resolve(BLOB), EmulatedKernel.sealedBlob(PASSPHRASE) + "\n");
        JsonNode unlocked = unlock(api, device, Map.of("key", "host-key", "reason", "host key"));
        assertThat(unlocked.path("state").asString())
                .as(unlocked.toString())
                .isEqualTo("succeeded");
        assertThat(unlocked.path("unlockKey").asString()).isEqualTo("host-key");
        assertThat(api.get("/api/v1/devices/" + device).text("securityState"))
                .isEqualTo("unlocked");
        assertThat(agent.kernel().keyDescriptions()).as("no key left in the keyring").isEmpty();
        assertThat(api.get("/api/v1/audit?operationId=" + unlocked.path("id").asString()).body())
                .contains("unlock with the host's key");
    }

    @Test
    void aPassphraseWithTheHostsKeyOrNeitherIsABadRequestThatStartsNothing() {
        startAgent(0x7c000);
        Api api = new Api(port);
        String host =
                TestInventory.agentHost(api, "host-key-" + UUID.randomUUID(), agent.url(), TOKEN);
        api.post("/api/v1/hosts/" + host + "/discover", "");
        String device = TestInventory.deviceBySerial(api, host, "0x7c002");

        Api.Response both =
                api.post(
                        "/api/v1/devices/" + device + "/unlock",
                        Api.json(Map.of("key", "host-key", "passphrase", PASSPHRASE)));
        assertThat(both.status()).as(both.body()).isEqualTo(400);
        assertThat(both.contentType()).contains("application/problem+json");
        assertThat(both.text("detail")).contains("takes no passphrase").doesNotContain(PASSPHRASE);

        Api.Response neither =
                api.post("/api/v1/devices/" + device + "/unlock", Api.json(Map.of("reason", "x")));
        assertThat(neither.status()).as(neither.body()).isEqualTo(400);
        assertThat(neither.text("detail")).contains("host-key");

        Api.Response unknown =
                api.post(
                        "/api/v1/devices/" + device + "/unlock",
                        Api.json(Map.of("key", "tpm", "passphrase", PASSPHRASE)));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);

        assertThat(api.get("/api/v1/operations?deviceId=" + device).json().path("items"))
                .as("nothing started")
                .isEmpty();
    }

    @Test
    void aSimulatedHostHasNoHostKeysAndSaysSoAtTheRequest() throws Exception {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "no-host-key-" + UUID.randomUUID());
        String device = TestInventory.device(api, host, "HK-" + UUID.randomUUID());

        Api.Response refused =
                api.post(
                        "/api/v1/devices/" + device + "/unlock",
                        Api.json(Map.of("key", "host-key")));

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("type")).endsWith("host-key-unsupported");
        assertThat(api.get("/api/v1/operations?deviceId=" + device).json().path("items")).isEmpty();

        // the CLI's flag sends the same request
        LetheCli.Run cli = new LetheCli(port, keys).run("unlock", device, "--host-key");
        assertThat(cli.exit()).as(cli.out() + cli.err()).isNotZero();
        assertThat(cli.err()).contains("keeps no host keys");
    }

    private static JsonNode unlock(Api api, String device, Map<String, Object> body) {
        Api.Response started = api.post("/api/v1/devices/" + device + "/unlock", Api.json(body));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        return api.awaitEnd(started.id(), Duration.ofSeconds(60));
    }
}
