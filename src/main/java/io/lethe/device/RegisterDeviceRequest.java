package io.lethe.device;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/hosts/{id}/devices}. */
@Schema(
        name = "RegisterDevice",
        example =
                """
        {"serial": "CXL-0xA1B2C3D4", "kind": "cxl-memdev", "manufacturer": "Acme Memory", "model": "AM-CXL-64G",
         "firmwareVersion": "1.4.2", "capacityBytes": 68719476736, "securityState": "disabled"}""")
record RegisterDeviceRequest(
        @NotBlank
                @Size(max = 128)
                @Pattern(
                        regexp = "[\\x21-\\x7E]+",
                        message = "must be printable ASCII without spaces")
                String serial,
        @NotNull DeviceKind kind,
        @Size(max = 128) String manufacturer,
        @Size(max = 128) String model,
        @Size(max = 64) String firmwareVersion,
        @NotNull @Positive Long capacityBytes,
        @Schema(description = "Defaults to disabled (no passphrase set)")
                SecurityState securityState,
        @Size(min = 1, max = 32, message = "must be 1 to 32 bytes")
                @Schema(
                        description =
                                "Simulated hosts only: the simulated device's own passphrase when one is set "
                                        + "(securityState locked or unlocked). Kept as a secret, never returned.")
                String passphrase,
        @Size(min = 1, max = 32, message = "must be 1 to 32 bytes")
                @Schema(
                        description =
                                "Simulated hosts only: the simulated device's master passphrase, when one is "
                                        + "enabled (any securityState); a passphrase-erase with master: true "
                                        + "must give it, and without one the device refuses it. Kept as a "
                                        + "secret, never returned.")
                String masterPassphrase) {

    @Override
    public String toString() {
        return "RegisterDeviceRequest[serial="
                + serial
                + ", kind="
                + kind
                + ", securityState="
                + securityState
                + "]";
    }
}
