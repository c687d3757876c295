package io.lethe.backend.hostagent;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A host's agent registered again: where it is and its credential.
 *
 * @param url base URL of the agent, http or https
 * @param token the agent's credential; stored sealed for this host and URL, never returned
 */
@Schema(
        name = "RegisterAgentRequest",
        example =
                """
        {"url": "https://r7-n12.example:7443", "token": "s3cr3t-agent-token"}""")
record RegisterAgentRequest(
        @NotBlank
                @Size(max = 2048)
                @Pattern(regexp = "https?://[^\\s]+", message = "must be an http or https URL")
                String url,
        @NotBlank @Size(min = 16, max = 512, message = "must be 16 to 512 characters")
                String token) {

    @Override
    public String toString() {
        return "RegisterAgentRequest[url=" + url + ", token=<redacted>]";
    }
}
