package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lethe.client.ApiClient;
import io.lethe.client.ApiException;
import io.lethe.client.ApiResponse;
import io.lethe.client.api.AuditApi;
import io.lethe.client.api.BatchesApi;
import io.lethe.client.api.CertificatesApi;
import io.lethe.client.api.DevicesApi;
import io.lethe.client.api.HostsApi;
import io.lethe.client.api.OperationsApi;
import io.lethe.client.api.RegionsApi;
import io.lethe.client.model.AuditRecord;
import io.lethe.client.model.AuditVerification;
import io.lethe.client.model.BackendSpec;
import io.lethe.client.model.Batch;
import io.lethe.client.model.BatchPlan;
import io.lethe.client.model.BatchRequest;
import io.lethe.client.model.Certificate;
import io.lethe.client.model.DeclareRegion;
import io.lethe.client.model.Device;
import io.lethe.client.model.EraseRequest;
import io.lethe.client.model.Host;
import io.lethe.client.model.Operation;
import io.lethe.client.model.Problem;
import io.lethe.client.model.Region;
import io.lethe.client.model.RegisterDevice;
import io.lethe.client.model.RegisterHost;
import io.lethe.client.model.Selector;
import io.lethe.client.model.SigningKeys;
import io.lethe.client.model.SimulatedX86Backend;
import io.lethe.support.Api;
import io.lethe.support.ContractCheck;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The README's walk-through again, through nothing but the Java client openapi-generator makes from
 * the committed contract at build time: register a host, its devices and a region, erase, wait by
 * long poll, read the audit trail and its verification, fetch the certificate as JSON and as JWS
 * (and check the JWS against the published key), plan and run a batch, and read a 404 and a 409 as
 * typed problems. Every answer the service gives on the way is held against the contract by {@link
 * ContractCheck}, so a status, content type or {@code null} the document does not declare fails the
 * test even where the generated client would have let it through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratedClientWalkthroughTest {

    @TestConfiguration
    static class CheckEveryAnswer {
        @Bean
        ContractCheck contractCheck() {
            return new ContractCheck(Path.of("api/openapi.json"));
        }

        @Bean
        FilterRegistrationBean<ContractCheck> contractCheckFilter(ContractCheck check) {
            FilterRegistrationBean<ContractCheck> registration =
                    new FilterRegistrationBean<>(check);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    @LocalServerPort int port;

    @Autowired ContractCheck contract;

    @Test
    void theWalkthroughRunsThroughTheGeneratedJavaClient() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + port);
        client.setRequestInterceptor(
                request -> request.header("Authorization", "Bearer " + Api.ADMIN_TOKEN));
        client.setReadTimeout(Duration.ofSeconds(90));
        HostsApi hosts = new HostsApi(client);
        DevicesApi devices = new DevicesApi(client);
        RegionsApi regions = new RegionsApi(client);
        OperationsApi operations = new OperationsApi(client);
        AuditApi audit = new AuditApi(client);
        CertificatesApi certificates = new CertificatesApi(client);
        BatchesApi batches = new BatchesApi(client);
        String rack = "walk-" + UUID.randomUUID();

        ApiResponse<Host> registered =
                hosts.registerHostWithHttpInfo(
                        new RegisterHost()
                                .name("r7-n12")
                                .labels(Map.of("rack", rack))
                                .backend(
                                        new BackendSpec(
                                                new SimulatedX86Backend()
                                                        .type(
                                                                SimulatedX86Backend.TypeEnum
                                                                        .SIMULATED_X86)
                                                        .virtualized(false)
                                                        .latencies(Map.of("erase", "PT0.5S"))
                                                        .faults(
                                                                Map.of(
                                                                        "invalidate-cache",
                                                                        "fail-once")))));
        assertThat(registered.getStatusCode()).isEqualTo(201);
        Host host = registered.getData();
        assertThat(registered.getHeaders().get("Location"))
                .containsExactly("/api/v1/hosts/" + host.getId());

        Device d1 =
                devices.registerDevice(
                        host.getId().toString(),
                        device("CXL-W-0001")
                                .securityState(RegisterDevice.SecurityStateEnum.DISABLED));
        Device d2 = devices.registerDevice(host.getId().toString(), device("CXL-W-0002"));
        Region region =
                regions.declareRegion(
                        host.getId().toString(),
                        new DeclareRegion()
                                .name("region0")
                                .deviceIds(List.of(d1.getId().toString(), d2.getId().toString()))
                                .sizeBytes(137_438_953_472L));
        assertThat(region.getState()).isEqualTo(Region.StateEnum.DETACHED);
        Operation attach =
                waitFor(
                        operations,
                        operations.getOperation(region.getAttachOperationId().toString(), null));
        assertThat(attach.getType()).isEqualTo(Operation.TypeEnum.ATTACH_REGION);
        assertThat(attach.getState())
                .as(attach.toString())
                .isEqualTo(Operation.StateEnum.SUCCEEDED);

        assertThat(hosts.getHost(host.getId().toString()).getName()).isEqualTo("r7-n12");
        var firstPage = devices.listDevices(host.getId().toString(), null, null, 1, null);
        assertThat(firstPage.getItems()).hasSize(1);
        var secondPage =
                devices.listDevices(
                        host.getId().toString(), null, null, 1, firstPage.getNextCursor());
        assertThat(secondPage.getItems())
                .extracting(Device::getId)
                .doesNotContainAnyElementsOf(
                        firstPage.getItems().stream().map(Device::getId).toList());
        assertThat(regions.listRegions(host.getId().toString(), "attached", null, null).getItems())
                .extracting(Region::getId)
                .containsExactly(region.getId());

        ApiResponse<Operation> started =
                operations.startSecureEraseWithHttpInfo(
                        d1.getId().toString(),
                        new EraseRequest()
                                .method(EraseRequest.MethodEnum.SANITIZE)
                                .reason("tenant hand-off"),
                        UUID.randomUUID().toString());
        assertThat(started.getStatusCode()).isEqualTo(202);
        assertThat(started.getHeaders().get("Location"))
                .containsExactly("/api/v1/operations/" + started.getData().getId());
        Operation op = waitFor(operations, started.getData());
        assertThat(op.getState()).as(op.toString()).isEqualTo(Operation.StateEnum.SUCCEEDED);
        assertThat(op.getSteps())
                .extracting(s -> s.getName().getValue())
                .containsExactly(
                        "precheck",
                        "detach-region",
                        "erase",
                        "invalidate-cache",
                        "reattach-region",
                        "verify");
        assertThat(op.getSteps().get(3).getAttempts())
                .as("the fail-once invalidation was retried")
                .isEqualTo(2);

        List<AuditRecord> trail =
                audit.listAuditRecords(null, op.getId().toString(), null, null, null, null)
                        .getItems();
        assertThat(trail)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getOperationId()).isEqualTo(op.getId()));
        AuditVerification chain = audit.verifyAuditChain();
        assertThat(chain.getIntact()).as(chain.toString()).isTrue();

        Certificate certificate = certificates.getCertificate(op.getId().toString());
        assertThat(certificate.getPayload().getOperationId()).isEqualTo(op.getId());
        assertThat(certificate.getPayload().getSanitization().getMethod()).isNotNull();
        SigningKeys keys = certificates.getSigningKeys();
        assertThat(keys.getKeys()).isNotEmpty();
        assertThat(keys.getKeys().get(0).getKid()).isEqualTo(certificate.getKid());
        assertThat(signatureHolds(certificate.getJws(), keys.getKeys().get(0).getPem()))
                .as("the JWS verifies with the published key")
                .isTrue();
        // The generated Java client decodes JSON (and text/plain) only, so the contract's other
        // media type for the same operation is read through the client's own transport and base
        // URI.
        HttpRequest.Builder jose =
                HttpRequest.newBuilder(
                                URI.create(
                                        client.getBaseUri()
                                                + "/api/v1/operations/"
                                                + op.getId()
                                                + "/certificate"))
                        .header("Accept", "application/jose");
        client.getRequestInterceptor().accept(jose);
        HttpResponse<String> compact =
                client.getHttpClient().send(jose.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(compact.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/jose"));
        assertThat(compact.body().trim()).isEqualTo(certificate.getJws());

        BatchRequest request =
                new BatchRequest()
                        .action(BatchRequest.ActionEnum.SECURE_ERASE)
                        .method(BatchRequest.MethodEnum.SANITIZE)
                        .selector(new Selector().labels(Map.of("rack", rack)))
                        .reason("rack leaves tenant A");
        BatchPlan plan = batches.startBatch(request.dryRun(true));
        assertThat(plan.getDevices()).isEqualTo(2);
        assertThat(plan.getBlockers()).isEmpty();
        ApiResponse<BatchPlan> batchStarted = batches.startBatchWithHttpInfo(request.dryRun(false));
        assertThat(batchStarted.getStatusCode()).isEqualTo(202);
        String location = batchStarted.getHeaders().get("Location").get(0);
        String batchId = location.substring(location.lastIndexOf('/') + 1);
        Batch batch = batches.getBatch(batchId);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (batch.getState() == Batch.StateEnum.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(200);
            batch = batches.getBatch(batchId);
        }
        assertThat(batch.getState()).as(batch.toString()).isEqualTo(Batch.StateEnum.SUCCEEDED);
        assertThat(batch.getTotal()).isEqualTo(2);
        assertThat(batches.listBatches("succeeded", "bootstrap", null, null).getItems())
                .extracting(Batch::getId)
                .contains(batch.getId());

        ApiException missing =
                catchThrowableOfType(
                        ApiException.class,
                        () -> operations.getOperation(UUID.randomUUID().toString(), null));
        Problem notFound =
                client.getObjectMapper().readValue(missing.getResponseBody(), Problem.class);
        assertThat(notFound.getStatus()).isEqualTo(404);
        assertThat(notFound.getCode()).isNotBlank();
        ApiException conflict =
                catchThrowableOfType(ApiException.class, () -> batches.cancelBatch(batchId));
        Problem ended =
                client.getObjectMapper().readValue(conflict.getResponseBody(), Problem.class);
        assertThat(ended.getStatus()).isEqualTo(409);
        assertThat(ended.getCode()).isEqualTo("batch-ended");

        assertThat(contract.violations()).as("answers that break the committed contract").isEmpty();
        assertThat(contract.checked())
                .contains(
                        "POST /api/v1/hosts 201",
                        "POST /api/v1/batches 200",
                        "POST /api/v1/batches 202",
                        "GET /api/v1/operations/{id} 404",
                        "DELETE /api/v1/batches/{id} 409");
    }

    private static RegisterDevice device(String serial) {
        return new RegisterDevice()
                .serial(serial)
                .kind(RegisterDevice.KindEnum.CXL_MEMDEV)
                .manufacturer("Acme")
                .model("AM-CXL-64G")
                .capacityBytes(68_719_476_736L);
    }

    /** Long polls (?wait=) until the operation has ended, for at most a minute. */
    private static Operation waitFor(OperationsApi operations, Operation op) throws ApiException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Operation current = op;
        while (!ended(current) && System.nanoTime() < deadline) {
            current = operations.getOperation(op.getId().toString(), "PT30S");
        }
        return current;
    }

    private static boolean ended(Operation op) {
        return op.getState() == Operation.StateEnum.SUCCEEDED
                || op.getState() == Operation.StateEnum.FAILED
                || op.getState() == Operation.StateEnum.CANCELLED;
    }

    /** An Ed25519 compact JWS checked with the JDK alone against a PEM public key. */
    private static boolean signatureHolds(String jws, String pem) throws Exception {
        String[] parts = jws.split("\\.");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PublicKey key =
                KeyFactory.getInstance("Ed25519")
                        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
    }
}
