package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 34, defect 4: a CXL bridge answers ENXIO for a wrong passphrase and for seven other mailbox
 * errors (drivers/cxl/cxlmem.h), so the agent's count of wrong passphrases is an estimate. It
 * counts conservatively and says so, takes the device's own state where the device has one (frozen
 * at its limit, also from attempts made elsewhere), and an admin resets it after a power cycle.
 */
class AttemptEstimateTest extends AgentOnEmulatedKernel {

    static final String TOKEN = "agent-token-for-the-estimate-0123";
    static final String PASSPHRASE = "the-locked-device-passphrase";

    private Api start() {
        return startStandard(TOKEN, PASSPHRASE, false);
    }

    private static Api.Response passphraseErase(Api api, String passphrase, String ticket) {
        return api.post(
                "/agent/v1/devices/0x1002/erase",
                Api.json(
                        Map.of(
                                "method",
                                "passphrase-erase",
                                "passphrase",
                                passphrase,
                                "ticket",
                                ticket)));
    }

    private static int attemptsLeft(Api api) {
        return api.get("/agent/v1/devices/0x1002").json().path("unlockAttemptsLeft").asInt();
    }

    @Test
    void anEnxioThatWasNoWrongPassphraseCountsAsOneAndSaysItIsAnEstimate() {
        Api api = start();
        agent.kernel().mailboxFailsOnce("nmem2");
        Api.Response refused = passphraseErase(api, PASSPHRASE, "busy1");
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.text("detail"))
                .contains("conservative estimate", "seven other mailbox errors", "power cycle");
        assertThat(attemptsLeft(api)).as("counted, to be safe").isEqualTo(2);

        assertThat(api.post("/agent/v1/devices/0x1002/passphrase-attempts/reset", "").status())
                .isEqualTo(204);
        assertThat(attemptsLeft(api)).isEqualTo(3);
    }

    /**
     * A device with no passphrase set has nothing to compare a passphrase with: its ENXIO is
     * another return code (QEMU 10's CXL device answers "unsupported"; KernelIT shows it on a real
     * kernel).
     */
    @Test
    void anEnxioFromADeviceWithoutAPassphraseIsNoWrongPassphraseAndCountsNothing() {
        Api api =
                startOn(
                        TOKEN,
                        List.of(new EmulatedKernel.Memdev(0, 0x1000, null, false)),
                        List.of());
        Api.Response refused =
                api.post(
                        "/agent/v1/devices/0x1000/erase",
                        Api.json(
                                Map.of(
                                        "method",
                                        "passphrase-erase",
                                        "passphrase",
                                        "no-passphrase-is-set",
                                        "ticket",
                                        "none1")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("errno")).isEqualTo("ENXIO");
        assertThat(refused.text("detail")).contains("no passphrase set", "no attempt counted");
        assertThat(api.get("/agent/v1/devices/0x1000").json().path("unlockAttemptsLeft").asInt())
                .isEqualTo(3);
    }

    @Test
    void aDeviceFrozenAtItsLimitIsBelievedOverTheAgentsLowerCount() {
        Api api = start();
        agent.kernel().wrongElsewhere("nmem2", 2);
        Api.Response wrong = passphraseErase(api, "not-it", "w1");
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
        assertThat(wrong.text("detail")).contains("limit reached");
        assertThat(wrong.json().path("attemptsLeft").asInt())
                .as("the device's own state, not the agent's count of one")
                .isZero();
        assertThat(api.get("/agent/v1/devices/0x1002").text("securityState"))
                .isEqualTo("passphrase-limit");

        agent.kernel().powerCycle("nmem2");
        assertThat(api.post("/agent/v1/devices/0x1002/passphrase-attempts/reset", "").status())
                .isEqualTo(204);
        assertThat(attemptsLeft(api)).isEqualTo(3);
        assertThat(
                        api.post(
                                        "/agent/v1/devices/0x1002/unlock",
                                        Api.json(Map.of("passphrase", PASSPHRASE)))
                                .status())
                .isEqualTo(204);
    }
}
