package io.lethe.agent;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of one agent over an emulated kernel in a directory of its own, stopped after each. */
abstract class AgentOnEmulatedKernel {

    @TempDir Path root;
    EmulatedAgent agent;

    @AfterEach
    void stopTheAgent() {
        if (agent != null) {
            agent.close();
        }
    }
}
