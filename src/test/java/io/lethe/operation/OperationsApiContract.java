package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.backend.simulated.SimulatedHardware;
import io.lethe.device.SecurityState;
import io.lethe.engine.PassphraseVault;
import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import io.lethe.support.OperationJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The three operations end to end over HTTP, on the simulated x86 backend, against the subclass's
 * database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class OperationsApiContract {

    static final List<String> SECURE_ERASE = OperationJson.SECURE_ERASE;
    static final List<String> UNLOCK = OperationJson.UNLOCK;
    static final List<String> DECOMMISSION = OperationJson.DECOMMISSION;

    @LocalServerPort int port;
    @Autowired PassphraseVault vault;

    @Autowired JdbcTemplate jdbc;
    @Autowired ApplicationContext context;
    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    // ---- each operation succeeds with the steps of its type --------------------------

    @Test
    void secureEraseRunsTheDesignStepsAndCommitsTheRegionAfterTheInvalidation() {
        Fleet f = fleet(Map.of("erase", "PT0.3S"), Map.of(), false);
        JsonNode op =
                awaitEnd(
                        start(
                                f.devices.get(0),
                                "secure-erase",
                                "{\"method\": \"sanitize\", \"reason\": \"tenant hand-off\"}"));
        assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(stepNames(op)).containsExactlyElementsOf(SECURE_ERASE);
        assertThat(stepStates(op)).containsOnly("succeeded");
        Instant eraseEnded = Instant.parse(step(op, "erase").get("finishedAt").asString());
        Instant invalidationStarted = Instant.parse(op.get("invalidationStartedAt").asString());
        assertThat(invalidationStarted).isAfter(eraseEnded);
        Instant committed = Instant.parse(step(op, "reattach-region").get("startedAt").asString());
        assertThat(committed).isAfter(invalidationStarted);
        assertThat(device(f.devices.get(0)).text("status")).isEqualTo("available");
        JsonNode region = api.get("/api/v1/regions/" + f.region).json();
        assertThat(region.get("state").asString()).isEqualTo("attached");
    }

    @Test
    void aDeviceSanitizedBeforeVerifiesLikeAnyOther() {
        Fleet f = fleet(Map.of("erase", "PT0.1S"), Map.of(), false);
        for (int round = 1; round <= 2; round++) {
            JsonNode op =
                    awaitEnd(start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}"));
            assertThat(op.get("state").asString())
                    .as("sanitize #" + round + ": " + op)
                    .isEqualTo("succeeded");
        }
        assertThat(device(f.devices.get(0)).text("status")).isEqualTo("available");
    }

    @Test
    void unlockRunsTheDesignStepsAndAttachesTheRegion() {
        String host = host(Map.of(), Map.of(), false);
        String device = device(host, "cxl-memdev", "locked", "unlock-me-please");
        String region = region(host, List.of(device));
        assertThat(api.get("/api/v1/regions/" + region).text("state"))
                .as("a locked member cannot decode")
                .isEqualTo("detached");
        JsonNode op = awaitEnd(start(device, "unlock", "{\"passphrase\": \"unlock-me-please\"}"));
        assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(stepNames(op)).containsExactlyElementsOf(UNLOCK);
        assertThat(device(device).text("securityState")).isEqualTo("unlocked");
        assertThat(api.get("/api/v1/regions/" + region).text("state")).isEqualTo("attached");
    }

    @Test
    void decommissionRunsTheDesignStepsAndRetiresTheDevice() {
        Fleet f = fleet(Map.of(), Map.of(), false);
        JsonNode op =
                awaitEnd(start(f.devices.get(1), "decommission", "{\"method\": \"secure-erase\"}"));
        assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(stepNames(op)).containsExactlyElementsOf(DECOMMISSION);
        assertThat(device(f.devices.get(1)).text("status")).isEqualTo("decommissioned");
        assertThat(api.get("/api/v1/regions/" + f.region).text("state")).isEqualTo("detached");
        assertProblem(
                start(f.devices.get(1), "secure-erase", "{\"method\": \"sanitize\"}"),
                409,
                "device-decommissioned");
    }

    @Test
    void aDeviceWithoutRegionSkipsTheRegionSteps() {
        String host = host(Map.of(), Map.of(), false);
        String nvdimm = device(host, "nvdimm", "disabled", null);
        JsonNode op = awaitEnd(start(nvdimm, "secure-erase", "{\"method\": \"overwrite\"}"));
        assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(step(op, "detach-region").get("state").asString()).isEqualTo("skipped");
        assertThat(step(op, "reattach-region").get("state").asString()).isEqualTo("skipped");
        assertThat(step(op, "invalidate-cache").get("state").asString()).isEqualTo("succeeded");
    }

    @Test
    void passphraseEraseOfALockedDeviceRemovesThePassphrase() {
        String host = host(Map.of(), Map.of(), false);
        String device = device(host, "cxl-memdev", "locked", "erase-with-me");
        JsonNode op =
                awaitEnd(
                        start(
                                device,
                                "secure-erase",
                                "{\"method\": \"passphrase-erase\", \"passphrase\": \"erase-with-me\"}"));
        assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(device(device).text("securityState")).isEqualTo("disabled");
    }

    /**
     * The kernel erases a DIMM that has no user passphrase with its master passphrase (KernelIT's
     * nfit_test guest, on Debian's 6.12.118); the simulated device answers as that guest did, and a
     * device without an enabled master passphrase refuses it as the kernel does (EOPNOTSUPP).
     */
    @Test
    void aMasterPassphraseErasesADeviceWithNoUserPassphrase() {
        String host = host(Map.of(), Map.of(), false);
        Response registered =
                api.post(
                        "/api/v1/hosts/" + host + "/devices",
                        Api.json(
                                Map.of(
                                        "serial", "SN-" + UUID.randomUUID(),
                                        "kind", "nvdimm",
                                        "capacityBytes", 1L << 30,
                                        "securityState", "disabled",
                                        "masterPassphrase", "the-master")));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String device = registered.id();

        Response userErase =
                start(
                        device,
                        "secure-erase",
                        "{\"method\": \"passphrase-erase\", \"passphrase\": \"the-master\"}");
        assertProblem(userErase, 409, "method-not-allowed");
        assertThat(userErase.text("detail")).contains("master: true");

        String masterErase =
                "{\"method\": \"passphrase-erase\", \"master\": true, \"passphrase\": \"the-master\"}";
        JsonNode op = awaitEnd(start(device, "secure-erase", masterErase));
        assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(device(device).text("securityState")).isEqualTo("disabled");

        String noMaster = device(host, "nvdimm", "disabled", null);
        JsonNode refused = awaitEnd(start(noMaster, "secure-erase", masterErase));
        assertThat(refused.get("state").asString()).as(refused.toString()).isEqualTo("failed");
        assertThat(step(refused, "erase").get("detail").asString()).contains("EOPNOTSUPP");
    }

    /** Only a passphrase erase has a master variant; the flag is never ignored without a word. */
    @Test
    void masterWithAnyOtherMethodIsABadRequestThatStartsNothing() {
        String host = host(Map.of(), Map.of(), false);
        String device = device(host, "nvdimm", "unlocked", "the-user");
        for (String method : List.of("overwrite", "sanitize", "secure-erase")) {
            Response refused =
                    start(
                            device,
                            "secure-erase",
                            "{\"method\": \""
                                    + method
                                    + "\", \"master\": true, \"passphrase\": \"the-master\"}");
            assertProblem(refused, 400, "master-without-passphrase-erase");
            assertThat(refused.json().path("errors").get(0).path("field").asString())
                    .isEqualTo("master");
            assertThat(refused.text("detail")).contains(method).doesNotContain("the-master");
        }
        assertThat(api.get("/api/v1/operations?deviceId=" + device).json().path("items").size())
                .as("nothing started")
                .isZero();
    }

    @Test
    void bothMembersErasedAtOnceCommitTheRegionOnceAfterBoth() {
        Fleet f = fleet(Map.of("erase", "PT0.5S"), Map.of(), false);
        String a = start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}").id();
        String b = start(f.devices.get(1), "secure-erase", "{\"method\": \"secure-erase\"}").id();
        JsonNode first = awaitEnd(api.get("/api/v1/operations/" + a));
        JsonNode second = awaitEnd(api.get("/api/v1/operations/" + b));
        assertThat(first.get("state").asString()).as(first.toString()).isEqualTo("succeeded");
        assertThat(second.get("state").asString()).as(second.toString()).isEqualTo("succeeded");
        assertThat(api.get("/api/v1/regions/" + f.region).text("state")).isEqualTo("attached");
        Instant invalidated =
                Instant.parse(api.get("/api/v1/regions/" + f.region).text("invalidatedAt"));
        for (JsonNode op : List.of(first, second)) {
            assertThat(invalidated)
                    .isAfter(Instant.parse(step(op, "erase").get("finishedAt").asString()));
        }
    }

    // ---- refusals at request time ------------------------------------------------------------

    @Test
    void prechecksRefuseWith409NamingTheReason() {
        String host = host(Map.of("erase", "PT2S"), Map.of(), false);
        assertProblem(
                start(
                        device(host, "cxl-memdev", "frozen", null),
                        "secure-erase",
                        "{\"method\": \"sanitize\"}"),
                409,
                "device-frozen");
        assertProblem(
                start(
                        device(host, "cxl-memdev", "passphrase-limit", null),
                        "secure-erase",
                        "{\"method\": \"sanitize\"}"),
                409,
                "device-frozen");
        refusedWhileAPassphraseIsSet(host, "cxl-memdev", "{\"method\": \"sanitize\"}");
        refusedWhileAPassphraseIsSet(host, "cxl-memdev", "{\"method\": \"secure-erase\"}");
        // the DIMM would ask for its passphrase, and Lethe sends an overwrite none
        refusedWhileAPassphraseIsSet(
                host, "nvdimm", "{\"method\": \"overwrite\", \"passphrase\": \"the-user\"}");
        assertProblem(
                start(
                        device(host, "cxl-memdev", "disabled", null),
                        "secure-erase",
                        "{\"method\": \"overwrite\"}"),
                409,
                "method-not-allowed");
        assertProblem(
                start(
                        device(host, "cxl-memdev", "disabled", null),
                        "unlock",
                        "{\"passphrase\": \"x\"}"),
                409,
                "method-not-allowed");
        assertProblem(
                start(
                        device(host, "cxl-memdev", "locked", "p"),
                        "secure-erase",
                        "{\"method\": \"passphrase-erase\"}"),
                400,
                "passphrase-required");
        assertProblem(
                start(
                        device(host, "cxl-memdev", "disabled", null),
                        "secure-erase",
                        "{\"method\": \"shred\"}"),
                400,
                "invalid-json-value");

        String busy = device(host, "cxl-memdev", "disabled", null);
        assertThat(start(busy, "secure-erase", "{\"method\": \"sanitize\"}").status())
                .isEqualTo(202);
        assertProblem(
                start(busy, "decommission", "{\"method\": \"sanitize\"}"), 409, "device-busy");

        String vm = host(Map.of(), Map.of(), true);
        Response virtualized =
                start(
                        device(vm, "cxl-memdev", "disabled", null),
                        "secure-erase",
                        "{\"method\": \"sanitize\"}");
        assertProblem(virtualized, 409, "invalidation-unsupported");
        assertProblem(
                start(UUID.randomUUID().toString(), "secure-erase", "{\"method\": \"sanitize\"}"),
                404,
                "device-not-found");
    }

    @Test
    void thePrecheckStepChecksAgainWhatTheHardwareSaysNow() {
        String host = host(Map.of("precheck", "PT1S"), Map.of(), false);
        String device = device(host, "cxl-memdev", "disabled", null);
        Response started = start(device, "secure-erase", "{\"method\": \"sanitize\"}");
        assertThat(started.status()).isEqualTo(202);
        // the device froze after the request was accepted (in the hardware, not in Lethe's
        // database)
        new SimulatedHardware(context)
                .change(
                        UUID.fromString(host),
                        m -> m.device(UUID.fromString(device)).security = SecurityState.FROZEN);
        JsonNode op = awaitEnd(started);
        assertThat(op.get("state").asString()).isEqualTo("failed");
        assertThat(op.get("error").asString()).startsWith("precheck:").contains("frozen");
        assertThat(device(device).text("status"))
                .as("a refused precheck leaves the device untouched")
                .isEqualTo("available");
        assertThat(device(device).text("securityState")).isEqualTo("frozen");
    }

    // ---- failures ------------------------------------------------------------------------------

    @Test
    void aFailedInvalidationQuarantinesTheDeviceAndLeavesTheRegionDetached() {
        Fleet f = fleet(Map.of(), Map.of("invalidate-cache", "fail"), false);
        JsonNode op =
                awaitEnd(start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}"));
        assertThat(op.get("state").asString()).isEqualTo("failed");
        assertThat(op.get("error").asString()).startsWith("invalidate-cache:");
        assertThat(step(op, "invalidate-cache").get("attempts").asInt()).isEqualTo(3);
        assertThat(step(op, "reattach-region").get("state").asString()).isEqualTo("skipped");
        assertThat(device(f.devices.get(0)).text("status")).isEqualTo("quarantined");
        assertThat(api.get("/api/v1/regions/" + f.region).text("state")).isEqualTo("detached");
    }

    @Test
    void aTimedOutInvalidationIsAFailureToo() {
        Fleet f = fleet(Map.of(), Map.of("invalidate-cache", "timeout"), false);
        JsonNode op =
                awaitEnd(start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}"));
        assertThat(op.get("state").asString()).isEqualTo("failed");
        assertThat(op.get("error").asString())
                .contains("invalidate-cache")
                .contains("no answer within");
        assertThat(device(f.devices.get(0)).text("status")).isEqualTo("quarantined");
        assertThat(api.get("/api/v1/regions/" + f.region).text("state")).isEqualTo("detached");
    }

    @Test
    void aFailedEraseQuarantinesTheDevice() {
        String host = host(Map.of(), Map.of("erase", "fail"), false);
        String device = device(host, "cxl-memdev", "disabled", null);
        JsonNode op = awaitEnd(start(device, "secure-erase", "{\"method\": \"sanitize\"}"));
        assertThat(op.get("state").asString()).isEqualTo("failed");
        assertThat(op.get("error").asString()).startsWith("erase:");
        assertThat(device(device).text("status")).isEqualTo("quarantined");
        assertThat(step(op, "invalidate-cache").get("state").asString()).isEqualTo("skipped");
    }

    @Test
    void onlyANewSuccessfulSecureEraseReturnsAQuarantinedDevice() {
        Fleet f = fleet(Map.of(), Map.of(), false);
        jdbc.update(
                "update devices set status = 'quarantined' where id = ?",
                UUID.fromString(f.devices.get(0)));
        assertProblem(
                start(f.devices.get(0), "unlock", "{\"passphrase\": \"x\"}"),
                409,
                "method-not-allowed");
        JsonNode op =
                awaitEnd(start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}"));
        assertThat(op.get("state").asString()).isEqualTo("succeeded");
        assertThat(device(f.devices.get(0)).text("status")).isEqualTo("available");
    }

    @Test
    void aFailedVerifyQuarantinesTheDevice() {
        Fleet f = fleet(Map.of(), Map.of("verify", "fail"), false);
        JsonNode op =
                awaitEnd(start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}"));
        assertThat(op.get("state").asString()).isEqualTo("failed");
        assertThat(op.get("error").asString()).startsWith("verify:");
        assertThat(device(f.devices.get(0)).text("status")).isEqualTo("quarantined");
        assertThat(
                        api.get("/api/v1/operations?state=failed&deviceId=" + f.devices.get(0))
                                .json()
                                .get("items"))
                .hasSize(1);
    }

    @Test
    void failOnceFaultsAreRetriedAndTheOperationSucceeds() {
        Fleet f =
                fleet(
                        Map.of(),
                        Map.of("detach-region", "fail-once", "invalidate-cache", "fail-once"),
                        false);
        JsonNode op =
                awaitEnd(start(f.devices.get(0), "secure-erase", "{\"method\": \"secure-erase\"}"));
        assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
        assertThat(step(op, "detach-region").get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(step(op, "invalidate-cache").get("attempts").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void wrongPassphrasesCountAndTheFinalAttemptNeedsConsent() {
        String host = host(Map.of(), Map.of(), false);
        String device = device(host, "cxl-memdev", "locked", "the-right-one");
        assertThat(device(device).json().get("unlockAttemptsLeft").asInt()).isEqualTo(3);
        JsonNode first = awaitEnd(start(device, "unlock", "{\"passphrase\": \"wrong-1\"}"));
        assertThat(first.get("state").asString()).isEqualTo("failed");
        assertThat(first.get("error").asString()).contains("wrong passphrase");
        assertThat(device(device).json().get("unlockAttemptsLeft").asInt()).isEqualTo(2);
        assertThat(device(device).text("status"))
                .as("a failed unlock changes no memory")
                .isEqualTo("available");
        awaitEnd(start(device, "unlock", "{\"passphrase\": \"wrong-2\"}"));
        assertThat(device(device).json().get("unlockAttemptsLeft").asInt()).isEqualTo(1);

        assertProblem(
                start(device, "unlock", "{\"passphrase\": \"the-right-one\"}"),
                409,
                "final-attempt-refused");
        JsonNode last =
                awaitEnd(
                        start(
                                device,
                                "unlock",
                                "{\"passphrase\": \"wrong-3\", \"allowFinalAttempt\": true}"));
        assertThat(last.get("state").asString()).isEqualTo("failed");
        assertThat(device(device).text("securityState")).isEqualTo("passphrase-limit");
        assertProblem(
                start(
                        device,
                        "unlock",
                        "{\"passphrase\": \"the-right-one\", \"allowFinalAttempt\": true}"),
                409,
                "device-frozen");
    }

    @Test
    void aPassphraseLostWithTheReplicaThatHeldItFailsTheStepSafely() {
        String host = host(Map.of("precheck", "PT1S"), Map.of(), false);
        String device = device(host, "cxl-memdev", "locked", "kept-secret");
        Response started = start(device, "unlock", "{\"passphrase\": \"kept-secret\"}");
        assertThat(
                        jdbc.queryForObject(
                                "select passphrase_enc from operations where id = ?",
                                String.class,
                                UUID.fromString(started.id())))
                .as("never in the database")
                .isNull();
        // as if the replica that took the request had restarted before the step ran
        vault.forget(UUID.fromString(started.id()));
        JsonNode op = awaitEnd(started);
        assertThat(op.get("state").asString()).isEqualTo("failed");
        assertThat(op.get("error").asString())
                .startsWith("unlock:")
                .contains("send the request again");
        assertThat(device(device).text("status"))
                .as("nothing reached the device")
                .isEqualTo("available");
        assertThat(device(device).json().get("unlockAttemptsLeft").asInt()).isEqualTo(3);
    }

    @Test
    void aPassphraseSealedBeforeTheUpgradeThatCannotBeDecryptedFailsTheStepSafely() {
        String host = host(Map.of("precheck", "PT1S"), Map.of(), false);
        String device = device(host, "cxl-memdev", "locked", "kept-secret");
        Response started = start(device, "unlock", "{\"passphrase\": \"kept-secret\"}");
        // an operation of an earlier version kept its passphrase sealed in the database, then the
        // key changed
        vault.forget(UUID.fromString(started.id()));
        jdbc.update(
                "update operations set passphrase_enc = ? where id = ?",
                "v1:" + Base64.getEncoder().encodeToString(new byte[48]),
                UUID.fromString(started.id()));
        JsonNode op = awaitEnd(started);
        assertThat(op.get("state").asString()).isEqualTo("failed");
        assertThat(op.get("error").asString()).startsWith("unlock:").contains("cannot be opened");
        assertThat(device(device).text("status"))
                .as("nothing reached the device")
                .isEqualTo("available");
        assertThat(device(device).json().get("unlockAttemptsLeft").asInt()).isEqualTo(3);
    }

    // ---- idempotency and cancel ----------------------------------------------------------------

    @Test
    void theSameIdempotencyKeyAndBodyReturnTheFirstOperationAndAnotherBodyIs422() {
        Fleet f = fleet(Map.of(), Map.of(), false);
        String key = UUID.randomUUID().toString();
        Map<String, String> headers =
                Map.of("Content-Type", "application/json", "Idempotency-Key", key);
        Response first =
                api.post(
                        "/api/v1/devices/" + f.devices.get(0) + "/secure-erase",
                        "{\"method\": \"sanitize\"}",
                        headers);
        Response again =
                api.post(
                        "/api/v1/devices/" + f.devices.get(0) + "/secure-erase",
                        "{ \"method\":\"sanitize\" }",
                        headers);
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.location()).isEqualTo(first.location());
        assertProblem(
                api.post(
                        "/api/v1/devices/" + f.devices.get(0) + "/secure-erase",
                        "{\"method\": \"secure-erase\"}",
                        headers),
                422,
                "idempotency-key-reused");
        awaitEnd(first);
        assertThat(
                        api.get("/api/v1/operations?deviceId=" + f.devices.get(0))
                                .json()
                                .get("items")
                                .valueStream()
                                .map(o -> o.get("type").asString()))
                .as("the region's attach is recorded against its first member; one erase")
                .containsExactly("attach-region", "secure-erase");
    }

    @Test
    void cancelBeforeTheEraseStartsRestoresEverything() {
        Fleet f = fleet(Map.of("precheck", "PT1S"), Map.of(), false);
        Response started = start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}");
        Response cancel = api.delete("/api/v1/operations/" + started.id());
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
        JsonNode op = awaitEnd(started);
        assertThat(op.get("state").asString()).isEqualTo("cancelled");
        assertThat(step(op, "erase").get("state").asString()).isEqualTo("skipped");
        assertThat(device(f.devices.get(0)).text("status")).isEqualTo("available");
        assertThat(api.get("/api/v1/regions/" + f.region).text("state")).isEqualTo("attached");
    }

    @Test
    void cancelAfterTheEraseStartedIs409() {
        Fleet f = fleet(Map.of("erase", "PT3S"), Map.of(), false);
        Response started = start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                !"pending"
                                        .equals(
                                                step(api.get(started.location()).json(), "erase")
                                                        .get("state")
                                                        .asString()));
        assertProblem(api.delete("/api/v1/operations/" + started.id()), 409, "cancel-too-late");
        assertThat(awaitEnd(started).get("state").asString()).isEqualTo("succeeded");
    }

    @Test
    void aLongPollAnswersWhenTheOperationEnds() {
        Fleet f = fleet(Map.of("erase", "PT1S"), Map.of(), false);
        Response started = start(f.devices.get(0), "secure-erase", "{\"method\": \"sanitize\"}");
        Response waited = api.get("/api/v1/operations/" + started.id() + "?wait=PT30S");
        assertThat(waited.text("state")).isEqualTo("succeeded");
        assertProblem(
                api.get("/api/v1/operations/" + started.id() + "?wait=PT5M"), 400, "invalid-wait");
    }

    // ---- audit and metrics ---------------------------------------------------------------------

    @Test
    void everyRequestStepAndOutcomeIsAudited() {
        Fleet f = fleet(Map.of(), Map.of(), false);
        JsonNode op =
                awaitEnd(
                        start(
                                f.devices.get(0),
                                "secure-erase",
                                "{\"method\": \"sanitize\", \"reason\": \"audit me\"}"));
        List<String> actions = new ArrayList<>();
        api.get("/api/v1/audit?operationId=" + op.get("id").asString())
                .json()
                .get("items")
                .forEach(
                        r ->
                                actions.add(
                                        r.get("action").asString()
                                                + (r.get("step").isNull()
                                                        ? ""
                                                        : ":" + r.get("step").asString())));
        List<String> expected = new ArrayList<>(List.of("requested"));
        SECURE_ERASE.forEach(
                s -> {
                    expected.add("step-started:" + s);
                    expected.add("step-succeeded:" + s);
                });
        expected.add("ended");
        assertThat(actions).containsExactlyElementsOf(expected);
        assertThat(
                        api.get("/api/v1/audit?deviceId=" + f.devices.get(0))
                                .json()
                                .get("items")
                                .valueStream()
                                .filter(
                                        r ->
                                                r.get("operationId").isNull()
                                                        || r.get("operationId")
                                                                .asString()
                                                                .equals(op.get("id").asString()))
                                .map(r -> r.get("action").asString())
                                .toList())
                .as("the device's registration, then the operation's records")
                .startsWith("device-registered")
                .hasSize(expected.size() + 1);
        String metrics = api.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body();
        assertThat(metrics)
                .contains(
                        "lethe_operations_total{",
                        "lethe_operation_duration_seconds",
                        "lethe_step_duration_seconds",
                        "lethe_cache_invalidations_total{",
                        "lethe_devices{");
    }

    // ---- helpers -------------------------------------------------------------------------------

    record Fleet(String host, List<String> devices, String region) {}

    Fleet fleet(Map<String, String> latencies, Map<String, String> faults, boolean virtualized) {
        String host = host(latencies, faults, virtualized);
        List<String> devices =
                List.of(
                        device(host, "cxl-memdev", "disabled", null),
                        device(host, "cxl-memdev", "disabled", null));
        return new Fleet(host, devices, region(host, devices));
    }

    String host(Map<String, String> latencies, Map<String, String> faults, boolean virtualized) {
        Map<String, Object> backend =
                Map.of(
                        "type",
                        "simulated-x86",
                        "virtualized",
                        virtualized,
                        "latencies",
                        latencies,
                        "faults",
                        faults);
        Response r =
                api.post(
                        "/api/v1/hosts",
                        Api.json(Map.of("name", "h-" + UUID.randomUUID(), "backend", backend)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    /** A request refused at once because the device has a passphrase set, naming the way out. */
    void refusedWhileAPassphraseIsSet(String host, String kind, String body) {
        Response refused = start(device(host, kind, "unlocked", "the-user"), "secure-erase", body);
        assertProblem(refused, 409, "method-not-allowed");
        assertThat(refused.text("detail"))
                .contains("passphrase is set")
                .contains("passphrase-erase")
                .doesNotContain("the-user");
    }

    String device(String host, String kind, String securityState, String passphrase) {
        Map<String, Object> body =
                new HashMap<>(
                        Map.of(
                                "serial",
                                "SN-" + UUID.randomUUID(),
                                "kind",
                                kind,
                                "capacityBytes",
                                1L << 30,
                                "securityState",
                                securityState));
        if (passphrase != null) {
            body.put("passphrase", passphrase);
        }
        Response r = api.post("/api/v1/hosts/" + host + "/devices", Api.json(body));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    String region(String host, List<String> devices) {
        Response r =
                api.post(
                        "/api/v1/hosts/" + host + "/regions",
                        Api.json(
                                Map.of(
                                        "name",
                                        "region-" + UUID.randomUUID().toString().substring(0, 8),
                                        "deviceIds",
                                        devices,
                                        "sizeBytes",
                                        1L << 20)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        if (!r.json().get("attachOperationId").isNull()) {
            // The region decodes once the attach-region operation started with it has ended.
            JsonNode attach =
                    api.awaitEnd(
                            r.json().get("attachOperationId").asString(), Duration.ofSeconds(30));
            assertThat(attach.get("state").asString()).as(attach.toString()).isEqualTo("succeeded");
        }
        return r.id();
    }

    Response device(String id) {
        return api.get("/api/v1/devices/" + id);
    }

    Response start(String device, String operation, String body) {
        return api.post("/api/v1/devices/" + device + "/" + operation, body);
    }

    JsonNode awaitEnd(Response started) {
        assertThat(started.status()).as(started.toString()).isIn(200, 202);
        return api.awaitEnd(started.id(), Duration.ofSeconds(30));
    }

    static List<String> stepNames(JsonNode op) {
        return OperationJson.stepNames(op);
    }

    static List<String> stepStates(JsonNode op) {
        return OperationJson.stepStates(op);
    }

    static JsonNode step(JsonNode op, String name) {
        return OperationJson.step(op, name);
    }

    static void assertProblem(Response r, int status, String slug) {
        OperationJson.assertProblem(r, status, slug);
    }
}
