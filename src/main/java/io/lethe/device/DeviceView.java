package io.lethe.device;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/** A device as clients and other modules see it. */
@Schema(name = "Device")
public record DeviceView(
        UUID id,
        UUID hostId,
        DeviceKind kind,
        @Schema(example = "CXL-0xA1B2C3D4") String serial,
        @Schema(example = "Acme Memory", nullable = true) String manufacturer,
        @Schema(example = "AM-CXL-64G", nullable = true) String model,
        @Schema(example = "1.4.2", nullable = true) String firmwareVersion,
        @Schema(example = "68719476736") long capacityBytes,
        SecurityState securityState,
        DeviceStatus status,
        @Schema(
                        description =
                                "Unlock attempts the device has left before it refuses every passphrase",
                        nullable = true)
                Integer unlockAttemptsLeft,
        @Schema(
                        description = "The operation that holds the device while it is busy",
                        nullable = true)
                UUID operationId,
        Instant createdAt,
        Instant updatedAt) {}
