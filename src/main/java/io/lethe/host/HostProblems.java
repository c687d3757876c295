package io.lethe.host;

import io.lethe.common.LetheProblem;
import org.springframework.http.HttpStatus;

/** Refusals of the host inventory, named as facts. */
final class HostProblems {

    private HostProblems() {}

    static final class SimulatedBackendDisabled extends LetheProblem {
        SimulatedBackendDisabled() {
            super(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "Simulated backend disabled",
                    "This service does not register simulated hosts (lethe.backends.simulated.enabled is false)");
        }
    }

    static final class HostNameTaken extends LetheProblem.Conflict {
        HostNameTaken(String name) {
            super("Host name taken", "A host named '" + name + "' is already registered");
        }
    }

    static final class NoAgent extends LetheProblem.Conflict {
        NoAgent(String name) {
            super("No agent", "Host " + name + " has no agent: its backend is not host-agent");
        }
    }

    static final class InvalidBackendSetting extends LetheProblem.BadRequest {
        InvalidBackendSetting(String field, String detail) {
            super(field, "Invalid backend setting", field + ": " + detail);
        }
    }
}
