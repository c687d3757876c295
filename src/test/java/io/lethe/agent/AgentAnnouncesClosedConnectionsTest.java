package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.RawExchange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent, like the service, closes the connection of a request it refused without reading its
 * body (a caller without the token never holds a thread with a slow body) and says so with {@code
 * Connection: close} (RFC 9112, 9.6): a client told nothing sends its next request down a closed
 * connection. Answers after which the connection stays usable announce nothing. Checked over a raw
 * socket against an agent on an emulated kernel.
 */
class AgentAnnouncesClosedConnectionsTest {

    static final String TOKEN = "agent-token-for-the-closed-connections-01";

    private static final String ERASE = "/agent/v1/devices/0x1000/erase";
    private static final String BODY = "{\"method\":\"sanitize\",\"ticket\":\"close-1\"}";

    @TempDir Path root;

    @Test
    void refusalsBeforeTheBodyWasReadAnnounceTheCloseAndAnswersThatKeepItSayNothing()
            throws IOException {
        try (EmulatedAgent agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root, "a-passphrase-for-the-close", false, Duration.ZERO),
                        TOKEN)) {
            RawExchange noToken = send(agent, "POST", ERASE, null, "application/json", BODY);
            RawExchange wrongToken =
                    send(agent, "POST", ERASE, "not-the-agents-token", "application/json", BODY);
            RawExchange wrongType = send(agent, "POST", ERASE, TOKEN, "text/plain", "method=x");
            for (RawExchange refused : new RawExchange[] {noToken, wrongToken}) {
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.closed()).as("closed after " + refused).isTrue();
                assertThat(refused.announcesClose()).as("announced in " + refused).isTrue();
            }
            // The agent reads a token holder's small body before it refuses its type; whichever it
            // does, the answer must say what the connection does next.
            assertThat(wrongType.status()).isEqualTo(415);
            assertThat(wrongType.announcesClose())
                    .as("in " + wrongType)
                    .isEqualTo(wrongType.closed());

            RawExchange inventory = send(agent, "GET", "/agent/v1/inventory", TOKEN, null, null);
            assertThat(inventory.status()).isEqualTo(200);
            assertThat(inventory.closed()).as("kept open after " + inventory).isFalse();
            assertThat(inventory.announcesClose()).isFalse();
        }
    }

    private static RawExchange send(
            EmulatedAgent agent,
            String method,
            String path,
            String token,
            String contentType,
            String body)
            throws IOException {
        return RawExchange.api(agent.port(), method, path, token, contentType, body);
    }
}
