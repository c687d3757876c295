package io.lethe.backend.hostagent;

import io.lethe.common.LetheProblem;

/** An agent registered again for a host whose backend has no agent. */
final class NoAgent extends LetheProblem.Conflict {
    NoAgent(String name) {
        super("No agent", "Host " + name + " has no agent: its backend is not host-agent");
    }
}
