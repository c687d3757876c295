package io.lethe.region;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /api/v1/hosts/{id}/regions}. */
@Schema(
        name = "DeclareRegion",
        example =
                """
        {"name": "region0", "deviceIds": ["0199a1b2-0000-7000-8000-000000000001", "0199a1b2-0000-7000-8000-000000000002"],
         "sizeBytes": 137438953472}""")
record DeclareRegionRequest(
        @NotBlank
                @Size(max = 64)
                @Pattern(
                        regexp = "[A-Za-z0-9][A-Za-z0-9._-]*",
                        message = "must contain only letters, digits, '.', '_' and '-'")
                String name,
        @NotEmpty
                @Size(max = 16)
                @Schema(
                        description =
                                "Member devices in interleave order; 1, 2, 4, 8 or 16 of them")
                List<@NotBlank String> deviceIds,
        @NotNull @Positive Long sizeBytes,
        @PositiveOrZero
                @Schema(
                        description =
                                "Host-physical base address; allocated after the host's other regions when absent")
                Long baseAddress) {}
