package io.lethe.batch;

import io.lethe.backend.EraseMethod;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * A fleet-wide action over the devices a selector picks. Its toString never shows the passphrase.
 *
 * @param action {@code secure-erase}, {@code decommission} or {@code unlock}
 * @param method the erase method (erase actions only)
 * @param selector which devices: every device of the listed hosts, the listed devices, and every
 *     device of the hosts carrying all the labels (the union of what is given)
 * @param passphrase the passphrase source for {@code unlock} and {@code passphrase-erase}: one
 *     passphrase for every device of the batch
 * @param dryRun answer the plan and change nothing
 */
@Schema(
        name = "BatchRequest",
        example =
                """
        {"action": "secure-erase", "method": "sanitize", "selector": {"labels": {"rack": "7"}}, "dryRun": true,
         "reason": "rack 7 leaves tenant A"}""")
record BatchRequest(
        @Schema(allowableValues = {"secure-erase", "decommission", "unlock"}) @NotBlank
                String action,
        EraseMethod method,
        @NotNull @Valid Selector selector,
        @Size(max = 512) String reason,
        @Size(min = 1, max = 32, message = "must be 1 to 32 bytes") String passphrase,
        Boolean dryRun) {

    record Selector(
            @Size(max = 10000) List<String> hostIds,
            @Size(max = 100000) List<String> deviceIds,
            @Size(max = 32) Map<String, String> labels) {}

    boolean planOnly() {
        return Boolean.TRUE.equals(dryRun);
    }

    @Override
    public String toString() {
        return "BatchRequest[action="
                + action
                + ", method="
                + method
                + ", selector="
                + selector
                + ", reason="
                + reason
                + ", dryRun="
                + dryRun
                + "]";
    }
}
