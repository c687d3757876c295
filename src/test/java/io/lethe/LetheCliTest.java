package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.LetheCli;
import io.lethe.support.LetheCli.Run;
import io.lethe.support.TestInventory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The {@code lethe} CLI as a pipeline runs it: the jar the build made ({@code
 * cli/target/lethe-cli.jar}, through {@code cli/bin/lethe}) as a process against this service on a
 * random port, with the URL and token in {@code LETHE_URL} and {@code LETHE_TOKEN}. The exit code
 * tells the outcome, stdout holds one JSON document with {@code --output json}, and the token is
 * never printed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LetheCliTest {

    @LocalServerPort int port;

    @TempDir Path dir;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private Run lethe(Map<String, String> env, String... args) throws Exception {
        return new LetheCli(port, dir).run(env, args);
    }

    private Run lethe(String... args) throws Exception {
        return lethe(Map.of(), args);
    }

    /**
     * A simulated host with two devices in a region; the backend's latencies and faults as given.
     */
    private List<String> host(
            String rack, Map<String, String> latencies, Map<String, String> faults) {
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "cli-" + UUID.randomUUID(),
                                                "labels",
                                                Map.of("rack", rack),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        latencies,
                                                        "faults",
                                                        faults))))
                        .id();
        String a = TestInventory.device(api, host, "CLI-" + UUID.randomUUID());
        String b = TestInventory.device(api, host, "CLI-" + UUID.randomUUID());
        TestInventory.attachedRegion(api, host, List.of(a, b), 2097152);
        return List.of(host, a, b);
    }

    @Test
    void eraseWaitExitsZeroWhenTheOperationSucceeds() throws Exception {
        String device = host("cli-ok", Map.of("erase", "PT0.3S"), Map.of()).get(1);
        Run run =
                lethe(
                        "erase",
                        device,
                        "--method",
                        "sanitize",
                        "--reason",
                        "tenant hand-off",
                        "--wait",
                        "--output",
                        "json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.json().get("state").asString()).isEqualTo("succeeded");
        assertThat(run.json().get("deviceId").asString()).isEqualTo(device);
        assertThat(run.err())
                .as("progress, plain lines off a terminal")
                .contains("operation " + run.json().get("id").asString())
                .contains("steps done")
                .doesNotContain("\r");
    }

    @Test
    void eraseWaitExitsOneWhenTheBackendFailsTheErase() throws Exception {
        String device = host("cli-fail", Map.of(), Map.of("erase", "fail")).get(1);
        Run run = lethe("erase", device, "--method", "sanitize", "--wait", "-o", "json");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.json().get("state").asString()).isEqualTo("failed");
        assertThat(run.err()).contains("failed");
    }

    @Test
    void aRefusedRequestExitsTwoWithTheProblemsTitleAndDetail() throws Exception {
        Run missing =
                lethe(
                        "erase",
                        UUID.randomUUID().toString(),
                        "--method",
                        "sanitize",
                        "--wait",
                        "-o",
                        "json");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.json().get("status").asInt()).isEqualTo(404);
        assertThat(missing.err())
                .contains("404 " + missing.json().get("title").asString())
                .contains(missing.json().get("detail").asString());

        Run unauthenticated = lethe(Map.of("LETHE_TOKEN", "not-a-token"), "hosts", "-o", "json");
        assertThat(unauthenticated.exit()).isEqualTo(2);
        assertThat(unauthenticated.json().get("status").asInt()).isEqualTo(401);

        Run badMethod =
                lethe("erase", UUID.randomUUID().toString(), "--method", "shred", "-o", "json");
        assertThat(badMethod.exit()).isEqualTo(2);
        assertThat(badMethod.json().get("detail").asString()).contains("--method");
        assertThat(lethe("erase").exit()).as("a missing argument").isEqualTo(2);
    }

    @Test
    void waitingLongerThanTheTimeoutExitsThree() throws Exception {
        String device = host("cli-slow", Map.of("erase", "PT30S"), Map.of()).get(1);
        long started = System.nanoTime();
        Run run =
                lethe(
                        "erase",
                        device,
                        "--method",
                        "sanitize",
                        "--wait",
                        "--timeout",
                        "1s",
                        "--output",
                        "json");
        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
        assertThat(run.json().get("state").asString()).isIn("queued", "running");
        assertThat(run.err()).contains("timed out after 1s");
    }

    @Test
    void aRefusedFinalUnlockAttemptNamesTheCliFlag() throws Exception {
        String host = host("cli-final", Map.of(), Map.of()).get(0);
        String locked =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                Api.json(
                                        Map.of(
                                                "serial",
                                                "CLI-LOCKED-" + UUID.randomUUID(),
                                                "kind",
                                                "cxl-memdev",
                                                "capacityBytes",
                                                1048576,
                                                "securityState",
                                                "locked",
                                                "passphrase",
                                                "the-right-passphrase")))
                        .id();
        Files.writeString(dir.resolve("wrong"), "a-wrong-passphrase\n");
        for (int attempt = 0; attempt < 2; attempt++) {
            Run wrong =
                    lethe("unlock", locked, "--passphrase-file", "wrong", "--wait", "-o", "json");
            assertThat(wrong.exit()).as(wrong.err()).isEqualTo(1);
        }
        Run refused = lethe("unlock", locked, "--passphrase-file", "wrong");
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err())
                .contains("--allow-final-attempt")
                .doesNotContain("allowFinalAttempt");
    }

    @Test
    void theLauncherAnswersASubcommandsHelpWithoutAServer() throws Exception {
        Run help = lethe(Map.of("LETHE_URL", "http://127.0.0.1:9"), "unlock", "--help");
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage:").contains("--allow-final-attempt");
    }

    @Test
    void anUnreachableServerExitsFour() throws Exception {
        Run run = lethe(Map.of("LETHE_URL", "http://127.0.0.1:9"), "devices", "--output", "json");
        assertThat(run.exit()).as(run.err()).isEqualTo(4);
        assertThat(run.json().get("code").asString()).isEqualTo("unreachable");
        assertThat(run.err()).contains("cannot reach http://127.0.0.1:9");
    }

    @Test
    void aCertificateSavedAsJwsVerifiesOfflineWithThePublishedKey() throws Exception {
        String device = host("cli-cert", Map.of(), Map.of()).get(1);
        Run erase = lethe("erase", device, "--method", "sanitize", "--wait", "-o", "json");
        assertThat(erase.exit()).as(erase.err()).isZero();
        String op = erase.json().get("id").asString();

        Run jws = lethe("certificate", op, "--jws");
        assertThat(jws.exit()).as(jws.err()).isZero();
        Files.writeString(dir.resolve("cert.jws"), jws.out());
        Run key = lethe("certificates", "keys", "--pem");
        assertThat(key.exit()).as(key.err()).isZero();
        Files.writeString(dir.resolve("key.pem"), key.out());

        Run simulated =
                lethe(
                        Map.of("LETHE_URL", "http://127.0.0.1:9"),
                        "verify-certificate",
                        "cert.jws",
                        "--key",
                        "key.pem");
        assertThat(simulated.exit())
                .as("a simulated erase's certificate: %s", simulated.err())
                .isEqualTo(5);
        Run verified =
                lethe(
                        Map.of("LETHE_URL", "http://127.0.0.1:9"),
                        "verify-certificate",
                        "cert.jws",
                        "--key",
                        "key.pem",
                        "--allow-simulated",
                        "-o",
                        "json");
        assertThat(verified.exit()).as("offline, with no server: %s", verified.err()).isZero();
        assertThat(verified.json().get("jti").asString()).isEqualTo(op);

        String[] parts = jws.out().trim().split("\\.");
        String payload =
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace(op, UUID.randomUUID().toString());
        Files.writeString(
                dir.resolve("cert.jws"),
                parts[0]
                        + "."
                        + Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + parts[2]);
        assertThat(lethe("verify-certificate", "cert.jws", "--key", "key.pem").exit())
                .as("a changed payload")
                .isEqualTo(1);
    }

    @Test
    void aBatchByLabelPlansWithDryRunAndRunsWithWait() throws Exception {
        String rack = "cli-" + UUID.randomUUID();
        host(rack, Map.of(), Map.of());
        Run plan =
                lethe(
                        "batch",
                        "erase",
                        "--label",
                        "rack=" + rack,
                        "--reason",
                        "rack leaves",
                        "--dry-run",
                        "-o",
                        "json");
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.json().get("devices").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/batches?requestedBy=bootstrap").json().get("items").toString())
                .doesNotContain(rack);

        Run batch =
                lethe(
                        "batch",
                        "erase",
                        "--label",
                        "rack=" + rack,
                        "--reason",
                        "rack leaves",
                        "--wait",
                        "-o",
                        "json");
        assertThat(batch.exit()).as(batch.err()).isZero();
        assertThat(batch.json().get("state").asString()).isEqualTo("succeeded");
        assertThat(batch.json().get("total").asInt()).isEqualTo(2);
        assertThat(batch.err()).contains("batch " + batch.json().get("id").asString());
    }

    @Test
    void listsPrintTablesForPeopleAndJsonForPipelines() throws Exception {
        List<String> ids = host("cli-list", Map.of(), Map.of());
        Run table = lethe("devices", "--host", ids.get(0));
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out().lines().findFirst().orElse(""))
                .startsWith("ID")
                .contains("SERIAL", "STATUS");
        assertThat(table.out()).contains(ids.get(1), ids.get(2));

        Run json = lethe("devices", "--host", ids.get(0), "--output", "json");
        assertThat(json.json().get("items")).hasSize(2);
        Run one = lethe("regions", "--host", ids.get(0), "-o", "json");
        assertThat(one.json().get("items").get(0).get("name").asString()).isEqualTo("region0");
        Run audit = lethe("audit", "verify", "-o", "json");
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.json().get("intact").asBoolean()).isTrue();
    }

    @Test
    void declaringARegionWaitsForItsAttachAndExitsAsItEnded() throws Exception {
        String host = host("cli-declare", Map.of(), Map.of()).get(0);
        String c = TestInventory.device(api, host, "CLI-" + UUID.randomUUID());
        Run declared =
                lethe(
                        "regions",
                        "declare",
                        host,
                        "--name",
                        "region1",
                        "--device",
                        c,
                        "--size",
                        "1048576",
                        "--wait",
                        "-o",
                        "json");
        assertThat(declared.exit()).as(declared.err()).isZero();
        assertThat(declared.json().get("state").asString()).isEqualTo("attached");
        String attach = declared.json().get("attachOperationId").asString();
        assertThat(api.get("/api/v1/operations/" + attach).text("type")).isEqualTo("attach-region");

        // A member already in a region: refused by the server, exit 2, nothing declared.
        Run refused =
                lethe(
                        "regions",
                        "declare",
                        host,
                        "--name",
                        "region2",
                        "--device",
                        c,
                        "--size",
                        "1048576");
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("409");
    }

    @Test
    void onATerminalWaitingDrawsAProgressBar() throws Exception {
        // script(1) (util-linux, Essential in Debian) runs lethe on a pseudo-terminal: a bar
        // redrawn in place
        String device = host("cli-tty", Map.of("erase", "PT1S"), Map.of()).get(1);
        String command =
                Path.of("cli/bin/lethe").toAbsolutePath()
                        + " erase "
                        + device
                        + " --method sanitize --wait";
        ProcessBuilder builder =
                new ProcessBuilder("script", "-qec", command, "/dev/null")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("tty").toFile());
        builder.environment().put("LETHE_URL", "http://127.0.0.1:" + port);
        builder.environment().put("LETHE_TOKEN", Api.ADMIN_TOKEN);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String tty = Files.readString(dir.resolve("tty"));
        assertThat(process.exitValue()).as(tty).isZero();
        assertThat(tty)
                .as("a bar redrawn in place")
                .contains("\r[")
                .contains("%")
                .contains("steps done")
                .doesNotContain(Api.ADMIN_TOKEN);
    }
}
