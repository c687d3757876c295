package io.lethe.agent;

import io.lethe.support.Api;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of one agent over an emulated kernel in a directory of its own, stopped after each. */
abstract class AgentOnEmulatedKernel {

    @TempDir Path root;
    EmulatedAgent agent;

    /** An agent over the standard tree (memdevs 0x1000 to 0x1003, one NVDIMM); its client. */
    Api startStandard(String token, String passphrase, boolean hypervisor, String... extra) {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root, passphrase, hypervisor, Duration.ofSeconds(3)),
                        token,
                        extra);
        return new Api(agent.port(), token);
    }

    /** An agent over a bare-metal tree of just these devices and no regions; its client. */
    Api startOn(
            String token,
            List<EmulatedKernel.Memdev> memdevs,
            List<EmulatedKernel.Nvdimm> nvdimms) {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.build(
                                root, false, Duration.ofSeconds(3), memdevs, nvdimms, List.of()),
                        token);
        return new Api(agent.port(), token);
    }

    @AfterEach
    void stopTheAgent() {
        if (agent != null) {
            agent.close();
        }
    }
}
