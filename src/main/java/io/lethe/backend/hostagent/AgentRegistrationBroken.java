package io.lethe.backend.hostagent;

import io.lethe.common.LetheProblem;

/**
 * A host-agent host whose sealed agent token does not open for the host and agent URL recorded: the
 * URL or the token was changed in the database outside Lethe (or sealed with a key no longer
 * configured). Lethe sends that host's agent nothing until the agent is registered again.
 */
final class AgentRegistrationBroken extends LetheProblem.Conflict {

    AgentRegistrationBroken(String hostName, java.util.UUID hostId) {
        super(
                "Agent registration broken",
                "The agent token of host "
                        + hostName
                        + " does not open for its recorded agent URL: the URL or the token was changed"
                        + " outside Lethe. Lethe sends this host's agent nothing until it is registered"
                        + " again (PUT /api/v1/hosts/"
                        + hostId
                        + "/agent with its URL and token).");
    }
}
