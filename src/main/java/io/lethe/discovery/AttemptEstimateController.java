package io.lethe.discovery;

import io.lethe.device.DeviceView;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The device endpoint that asks the host's backend: under the Devices tag of the document. */
@RestController
class AttemptEstimateController {

    private final AttemptEstimates estimates;

    AttemptEstimateController(AttemptEstimates estimates) {
        this.estimates = estimates;
    }

    @PostMapping(
            path = "/api/v1/devices/{id}/unlock-attempts/reset",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "resetUnlockAttemptEstimate",
            tags = "Devices",
            summary = "Reset a device's estimated count of wrong passphrases after a power cycle",
            description =
                    "Admin. A host agent counts every ambiguous refusal of a CXL device (ENXIO) as a wrong "
                            + "passphrase, so its count of attempts left errs on the safe side; a power cycle gives the "
                            + "device its attempts back. Answers the device as the host now reports it; audited as "
                            + "unlock-attempt-estimate-reset. 409 where the backend keeps no estimate.")
    DeviceView resetUnlockAttemptEstimate(@PathVariable String id) {
        return estimates.reset(id);
    }
}
