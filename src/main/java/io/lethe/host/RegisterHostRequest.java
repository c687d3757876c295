package io.lethe.host;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** Body of {@code POST /api/v1/hosts}. */
@Schema(
        name = "RegisterHost",
        example =
                """
        {"name": "r7-n12", "labels": {"rack": "7"}, "backend": {"type": "simulated-x86", "virtualized": false,
         "latencies": {"erase": "PT0.5S"}, "faults": {"invalidate-cache": "fail-once"}}}""")
record RegisterHostRequest(
        @NotBlank
                @Size(max = 253)
                @Pattern(
                        regexp = "[A-Za-z0-9][A-Za-z0-9._-]*",
                        message =
                                "must start with a letter or digit and contain only letters, digits, '.', '_' and '-'")
                String name,
        @Size(max = 64)
                Map<
                                @Pattern(
                                        regexp = "[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?",
                                        message =
                                                "label keys are 1 to 63 lower-case letters, digits, '.', '_', '/', '-'")
                                String,
                                @NotNull @Size(max = 253) String>
                        labels,
        @NotNull @Valid BackendSpec backend) {}
