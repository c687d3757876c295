package io.lethe.agent;

import io.lethe.common.ContainerProblemReport;

/** The agent's container refusals as problems of its own type ({@code urn:lethe:agent:}). */
public class AgentProblemReport extends ContainerProblemReport {

    public AgentProblemReport() {
        super(AgentProblem.TYPE_PREFIX);
    }
}
