package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 34, defect 7: kernel answers that mean something other than what they first look like, each
 * read in Debian's 6.12.118 source and named at the agent's code. The emulated kernel answers as
 * that source does.
 */
class KernelDiagnosesTest extends AgentOnEmulatedKernel {

    static final String TOKEN = "agent-token-for-the-diagnoses-01";
    static final String PASSPHRASE = "the-locked-device-passphrase";

    private Api start(boolean hypervisor) {
        return startStandard(TOKEN, PASSPHRASE, hypervisor);
    }

    private static String fence(long token) {
        return Api.json(Map.of("fence", token));
    }

    /** commit_store(): "Not ready to commit?" answers ENXIO before any invalidation. */
    @Test
    void aRegionNotReadyToCommitOnBareMetalIsNotCalledAnInvalidationRefusal() {
        Api api = start(false);
        agent.kernel().notReadyToCommit("region1");

        Api.Response refused = api.post("/agent/v1/regions/region1/commit", fence(1));

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("refused");
        assertThat(refused.text("errno")).isEqualTo("ENXIO");
        assertThat(refused.text("detail")).contains("not ready to commit");
    }

    /** commit_store() invalidates before a reset as before a commit: ENXIO in a guest. */
    @Test
    void aResetInAVirtualMachineIsRefusedBecauseTheKernelInvalidatesFirst() {
        Api api = start(true);

        Api.Response refused = api.post("/agent/v1/regions/region0/reset", fence(1));

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("invalidation-unsupported");
        assertThat(refused.text("detail")).contains("refused the reset", "stays committed");
    }

    /** Secure erase has no poll count: a device that runs it in the background gets ETIMEDOUT. */
    @Test
    void aSecureEraseTheDeviceRunsInTheBackgroundIsInDoubtAndNeverCompleted() {
        Api api = start(false);
        assertThat(api.post("/agent/v1/regions/region2/reset", fence(1)).status()).isEqualTo(200);
        agent.kernel().secureEraseInBackground("mem3");

        Api.Response started =
                api.post(
                        "/agent/v1/devices/0x1003/erase",
                        Api.json(Map.of("method", "secure-erase", "ticket", "background-1")));

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(started.text("state")).isEqualTo("failed");
        assertThat(started.text("detail")).contains("in doubt", "ETIMEDOUT");
        Api.Response later = api.get("/agent/v1/erases/background-1");
        assertThat(later.text("state")).as("never reported completed").isEqualTo("failed");
    }

    /** nvdimm_probe() returns before it tries to unlock a DIMM without a label area. */
    @Test
    void aDimmWithoutALabelAreaIsNotReboundToUnlockAndNothingIsCounted() {
        Api api = start(false);
        agent.kernel().labelLessAndLocked("nmem100", PASSPHRASE);

        Api.Response refused =
                api.post(
                        "/agent/v1/devices/0x000d1064/unlock",
                        Api.json(Map.of("passphrase", PASSPHRASE)));

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("unsupported");
        assertThat(refused.text("detail")).contains("no label area");
        Api.Response device = api.get("/agent/v1/devices/0x000d1064");
        assertThat(device.text("securityState")).isEqualTo("locked");
        assertThat(device.json().path("unlockAttemptsLeft").asInt()).isEqualTo(3);
    }
}
