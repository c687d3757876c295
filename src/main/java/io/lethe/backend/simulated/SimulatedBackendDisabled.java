package io.lethe.backend.simulated;

import io.lethe.common.LetheProblem;
import org.springframework.http.HttpStatus;

/** A simulated host refused: this service registers none. */
final class SimulatedBackendDisabled extends LetheProblem {
    SimulatedBackendDisabled() {
        super(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "Simulated backend disabled",
                "This service does not register simulated hosts (lethe.backends.simulated.enabled is false)");
    }
}
