package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.lethe.host.BackendType;
import org.junit.jupiter.api.Test;

/** A request is built by name: each step fixes its own facts and keeps every other one. */
class OperationRequestTest {

    @Test
    void eachNamedStepFixesItsOwnFactsAndKeepsTheOthers() {
        BackendType agent = BackendType.of("host-agent");
        OperationRequest request =
                OperationRequest.because("tenant change")
                        .unlocking(UnlockKey.HOST_KEY, true, true)
                        .performedBy(agent, false)
                        .erasing(EraseMethod.SANITIZE)
                        .sealedPassphrase("v3:sealed")
                        .exposedUntil(42L);

        assertThat(request)
                .isEqualTo(
                        new OperationRequest(
                                EraseMethod.SANITIZE,
                                true,
                                true,
                                "tenant change",
                                "v3:sealed",
                                UnlockKey.HOST_KEY,
                                agent,
                                false,
                                42L));
        assertThat(OperationRequest.attach("declared", 7L))
                .isEqualTo(
                        new OperationRequest(
                                null, false, false, "declared", null, null, null, null, 7L));
    }
}
