package io.lethe.host;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** The backend of a host as given at registration, told apart by {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BackendSpec.SimulatedX86.class, name = "simulated-x86"),
    @JsonSubTypes.Type(value = BackendSpec.HostAgent.class, name = "host-agent")
})
@Schema(
        oneOf = {BackendSpec.SimulatedX86.class, BackendSpec.HostAgent.class},
        discriminatorProperty = "type")
public sealed interface BackendSpec {

    /**
     * In-process simulation of an x86 host.
     *
     * @param virtualized when true the host behaves like a VM guest: cache invalidation is refused
     * @param latencies per step name, an ISO-8601 duration the simulated step takes
     * @param faults per step name, {@code fail}, {@code fail-once} or {@code timeout}
     */
    @Schema(
            name = "SimulatedX86Backend",
            example =
                    """
            {"type": "simulated-x86", "virtualized": false, "latencies": {"erase": "PT0.5S"},
             "faults": {"invalidate-cache": "fail-once"}}""")
    record SimulatedX86(
            @Schema(
                            description = "Behave like a VM guest: cache invalidation is refused",
                            defaultValue = "false")
                    Boolean virtualized,
            @Size(max = 16) Map<String, String> latencies,
            @Size(max = 16) Map<String, String> faults)
            implements BackendSpec {}

    /**
     * A Lethe agent running on the host.
     *
     * @param url base URL of the agent, http or https
     * @param token the agent's credential; stored encrypted, never returned
     */
    @Schema(
            name = "HostAgentBackend",
            example =
                    """
            {"type": "host-agent", "url": "https://r7-n12.example:7443", "token": "s3cr3t-agent-token"}""")
    record HostAgent(
            @NotBlank
                    @Size(max = 2048)
                    @Pattern(regexp = "https?://[^\\s]+", message = "must be an http or https URL")
                    String url,
            @NotBlank @Size(min = 16, max = 512, message = "must be 16 to 512 characters")
                    String token)
            implements BackendSpec {

        @Override
        public String toString() {
            return "HostAgent[url=" + url + ", token=<redacted>]";
        }
    }
}
