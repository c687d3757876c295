package io.lethe.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.host.BackendKind;
import io.lethe.host.BackendSettings;
import io.lethe.host.BackendSpec;
import io.lethe.host.BackendType;
import io.lethe.host.CacheInvalidation;
import io.lethe.host.HostView;
import io.lethe.host.InvalidBackendSetting;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A backend is a plug-in to the host inventory: a {@link BackendKind} bean with its settings
 * record, declared here and nowhere in {@code host/}, is registered through the host API, refused
 * with its own reasons, shown with its own fields, keeps its secret sealed for the owner it names,
 * and appears in the OpenAPI document's {@code oneOf}. The oracle is the service's HTTP answers and
 * the stored row, not the inventory's code.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ABackendIsAPlugInTest.Bmc.class)
class ABackendIsAPlugInTest {

    static final BackendType BMC = BackendType.of("test-bmc");

    /** The settings of the test backend as a client gives them. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "TestBmcBackend")
    record BmcSpec(@NotBlank String address, @NotBlank String password) implements BackendSpec {}

    /** What a host of the test backend shows. */
    record Shown(String address, Boolean passwordSet) {}

    @TestConfiguration(proxyBeanMethods = false)
    static class Bmc {
        @Bean
        BackendKind testBmc(SecretCipher cipher) {
            return new BackendKind() {
                @Override
                public BackendType type() {
                    return BMC;
                }

                @Override
                public Class<? extends BackendSpec> specType() {
                    return BmcSpec.class;
                }

                @Override
                public Settled settle(UUID hostId, BackendSpec given) {
                    BmcSpec bmc = (BmcSpec) given;
                    if (!bmc.address().startsWith("bmc://")) {
                        throw new InvalidBackendSetting(
                                "backend.address", "must be a bmc:// address");
                    }
                    String document = "{\"address\":\"" + bmc.address() + "\"}";
                    return new Settled(
                            new BackendSettings(
                                    document,
                                    cipher.seal(bmc.password(), secretOwner(hostId, document))),
                            CacheInvalidation.UNSUPPORTED);
                }

                @Override
                public HostView.Backend show(BackendSettings kept) {
                    String address = Api.JSON.readTree(kept.document()).get("address").asString();
                    return new HostView.Backend(
                            BMC,
                            Map.of("address", address, "passwordSet", kept.sealedSecret() != null));
                }

                @Override
                public Class<? extends Record> shownType() {
                    return Shown.class;
                }

                @Override
                public SealedFor secretOwner(UUID hostId, String document) {
                    // a purpose of its own: nothing in security/ is added for a backend
                    return new SealedFor("test-bmc-password", hostId.toString(), List.of(document));
                }

                @Override
                public boolean takesRegisteredPassphrases() {
                    return false;
                }
            };
        }
    }

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;
    @Autowired SecretCipher cipher;

    @Test
    void aBackendDeclaredOutsideTheInventoryIsRegisteredShownSealedAndDocumented() {
        Api api = new Api(port);
        String password = "bmc-password-" + UUID.randomUUID();

        Response refused =
                api.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "bmc-refused",
                                        "backend",
                                        Map.of(
                                                "type", "test-bmc",
                                                "address", "http://x",
                                                "password", password))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("backend.address").contains("bmc://");

        Response registered =
                api.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "bmc-1",
                                        "backend",
                                        Map.of(
                                                "type", "test-bmc",
                                                "address", "bmc://r7-n12",
                                                "password", password))));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.body()).doesNotContain(password);
        JsonNode shown = api.get("/api/v1/hosts/" + registered.id()).json().get("backend");
        assertThat(shown.get("type").asString()).isEqualTo("test-bmc");
        assertThat(shown.get("address").asString()).isEqualTo("bmc://r7-n12");
        assertThat(shown.get("passwordSet").asBoolean()).isTrue();

        UUID id = UUID.fromString(registered.id());
        Map<String, Object> row =
                jdbc.queryForMap(
                        "select backend_type, backend_settings, backend_secret_enc from hosts where id = ?",
                        id);
        assertThat(row.get("backend_type")).isEqualTo("test-bmc");
        assertThat(String.valueOf(row)).doesNotContain(password);
        assertThat(
                        cipher.open(
                                (String) row.get("backend_secret_enc"),
                                new SealedFor(
                                        "test-bmc-password",
                                        id.toString(),
                                        List.of((String) row.get("backend_settings")))))
                .isEqualTo(password);

        JsonNode schemas = api.get("/v3/api-docs").json().at("/components/schemas");
        assertThat(schemas.at("/BackendSpec/discriminator/mapping/test-bmc").asString())
                .isEqualTo("#/components/schemas/TestBmcBackend");
        assertThat(schemas.at("/TestBmcBackend/properties").has("address")).isTrue();
        assertThat(schemas.at("/HostBackend/properties").has("passwordSet")).isTrue();
        assertThat(schemas.at("/HostBackend/properties/type/enum").toString()).contains("test-bmc");
    }
}
