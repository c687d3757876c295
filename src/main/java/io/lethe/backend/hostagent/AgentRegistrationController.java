package io.lethe.backend.hostagent;

import io.lethe.host.HostView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The host API's endpoint of the host-agent backend: its agent registered again. */
@RestController
@RequestMapping(path = "/api/v1/hosts", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Hosts", description = "Bare-metal hosts and their backends")
class AgentRegistrationController {

    private final AgentRegistrations agents;

    AgentRegistrationController(AgentRegistrations agents) {
        this.agents = agents;
    }

    @PutMapping(path = "/{id}/agent", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "registerAgent",
            summary = "Register a host's agent again (admin)",
            description =
                    "A new URL or token for the agent of a host-agent host, and the way back for a host whose"
                            + " agent registration broke (problem agent-registration-broken: its URL or sealed token"
                            + " was changed outside Lethe). The token is stored sealed for this host and URL and"
                            + " never returned; nothing is erased on the host until its next discovery.")
    HostView registerAgent(
            @PathVariable String id, @Valid @RequestBody RegisterAgentRequest request) {
        return agents.registerAgain(id, request);
    }
}
