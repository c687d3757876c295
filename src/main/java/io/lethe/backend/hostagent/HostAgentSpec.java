package io.lethe.backend.hostagent;

import io.lethe.host.BackendSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A Lethe agent running on the host, as given at registration.
 *
 * @param url base URL of the agent, http or https
 * @param token the agent's credential; stored encrypted, never returned
 */
@Schema(
        name = "HostAgentBackend",
        example =
                """
        {"type": "host-agent", "url": "https://r7-n12.example:7443", "token": "s3cr3t-agent-token"}""")
record HostAgentSpec(
        @NotBlank
                @Size(max = 2048)
                @Pattern(regexp = "https?://[^\\s]+", message = "must be an http or https URL")
                String url,
        @NotBlank @Size(min = 16, max = 512, message = "must be 16 to 512 characters") String token)
        implements BackendSpec {

    @Override
    public String toString() {
        return "HostAgentSpec[url=" + url + ", token=<redacted>]";
    }
}
