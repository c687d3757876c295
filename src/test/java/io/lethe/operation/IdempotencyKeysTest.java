package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Idempotency keys belong to the token that sent them, leave secrets out of the request they stand
 * for, expire, and are at most 255 characters. The first test is the attack: an operator who learnt
 * another pipeline's key tries passphrase guesses through it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.workflow.idempotency-key-ttl=PT2S")
class IdempotencyKeysTest {

    @LocalServerPort int port;

    Api admin;

    @BeforeEach
    void setUp() {
        admin = new Api(port);
    }

    private Api operator(String name) {
        Response token =
                admin.post(
                        "/api/v1/tokens",
                        Api.json(
                                Map.of(
                                        "name",
                                        name + "-" + UUID.randomUUID(),
                                        "roles",
                                        List.of("operator"))));
        return admin.withToken(token.text("secret"));
    }

    /**
     * A locked device whose unlock runs long enough to hold it while the test makes its requests.
     */
    private String lockedDevice(String passphrase) {
        String host =
                admin.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "idem-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("unlock", "PT5S")))))
                        .id();
        return admin.post(
                        "/api/v1/hosts/" + host + "/devices",
                        Api.json(
                                Map.of(
                                        "serial",
                                        "IDEM-" + UUID.randomUUID(),
                                        "kind",
                                        "cxl-memdev",
                                        "capacityBytes",
                                        1048576,
                                        "securityState",
                                        "locked",
                                        "passphrase",
                                        passphrase)))
                .id();
    }

    private static Response unlock(Api as, String device, String key, String passphrase) {
        return as.post(
                "/api/v1/devices/" + device + "/unlock",
                Api.json(Map.of("passphrase", passphrase)),
                Map.of("Content-Type", "application/json", "Idempotency-Key", key));
    }

    @Test
    void anotherTokensKeyCannotBeUsedToTestPassphraseGuesses() {
        String device = lockedDevice("the right one");
        String key = UUID.randomUUID().toString();
        Response pipeline = unlock(operator("pipeline"), device, key, "the right one");
        assertThat(pipeline.status()).as(pipeline.toString()).isEqualTo(202);

        Api attacker = operator("attacker");
        Response wrongGuess = unlock(attacker, device, key, "a wrong guess");
        Response rightGuess = unlock(attacker, device, key, "the right one");
        assertThat(rightGuess.body())
                .as("the pipeline's operation is not handed to another token")
                .doesNotContain(pipeline.id());
        assertThat(rightGuess.status())
                .as("a right guess answers as a wrong one does: %s / %s", wrongGuess, rightGuess)
                .isEqualTo(wrongGuess.status());
        assertThat(rightGuess.text("code")).isEqualTo(wrongGuess.text("code"));
    }

    @Test
    void aReplayThatDiffersOnlyInThePassphraseReturnsTheOriginalOperation() {
        String device = lockedDevice("the right one");
        Api pipeline = operator("replayer");
        String key = UUID.randomUUID().toString();
        Response first = unlock(pipeline, device, key, "the right one");
        Response replay = unlock(pipeline, device, key, "something else");
        assertThat(first.status()).isEqualTo(202);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
        assertThat(replay.id()).isEqualTo(first.id());

        Response otherReason =
                pipeline.post(
                        "/api/v1/devices/" + device + "/unlock",
                        Api.json(
                                Map.of("passphrase", "the right one", "reason", "another request")),
                        Map.of("Content-Type", "application/json", "Idempotency-Key", key));
        assertThat(otherReason.status())
                .as("any other difference is still a reused key")
                .isEqualTo(422);
        assertThat(otherReason.text("code")).isEqualTo("idempotency-key-reused");
    }

    @Test
    void aKeyIsForgottenAfterItsTimeToLive() throws Exception {
        String device = lockedDevice("p");
        Api pipeline = operator("expiry");
        String key = UUID.randomUUID().toString();
        Response first = unlock(pipeline, device, key, "p");
        assertThat(first.status()).isEqualTo(202);
        Thread.sleep(2500);
        Response later =
                pipeline.post(
                        "/api/v1/devices/" + device + "/unlock",
                        Api.json(
                                Map.of(
                                        "passphrase",
                                        "p",
                                        "reason",
                                        "a new request under an old key")),
                        Map.of("Content-Type", "application/json", "Idempotency-Key", key));
        assertThat(later.text("code"))
                .as("an expired key is no longer reused: %s", later)
                .isNotEqualTo("idempotency-key-reused");
        assertThat(later.body()).doesNotContain(first.id());
    }

    @Test
    void aKeyLongerThan255CharactersIsABadRequest() {
        String device = lockedDevice("p");
        Response tooLong = unlock(admin, device, "k".repeat(5000), "p");
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
        assertThat(tooLong.text("code")).isEqualTo("invalid-idempotency-key");
        assertThat(unlock(admin, device, "k".repeat(255), "p").status()).isEqualTo(202);
    }
}
