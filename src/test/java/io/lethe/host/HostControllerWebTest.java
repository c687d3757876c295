package io.lethe.host;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.lethe.common.Ids;
import io.lethe.security.SecurityProperties;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The web layer of the host API alone: binding, validation and the mapping of refusals to problems.
 */
@WebMvcTest(HostController.class)
@AutoConfigureMockMvc(addFilters = false)
@EnableConfigurationProperties(SecurityProperties.class)
@Import({BackendSpecTypes.class, HostControllerWebTest.OneBackend.class})
class HostControllerWebTest {

    @Autowired MockMvc mvc;
    @MockitoBean HostService hosts;

    /** The settings record of a backend under the simulated type's name, for binding alone. */
    record AnySpec(Boolean virtualized) implements BackendSpec {}

    @TestConfiguration(proxyBeanMethods = false)
    static class OneBackend {
        @Bean
        BackendKind oneBackend() {
            BackendKind kind = org.mockito.Mockito.mock(BackendKind.class);
            given(kind.type()).willReturn(BackendType.of("simulated-x86"));
            org.mockito.BDDMockito.<Class<? extends BackendSpec>>given(kind.specType())
                    .willReturn(AnySpec.class);
            return kind;
        }
    }

    @Test
    void registrationAnswers201WithLocation() throws Exception {
        UUID id = Ids.newId();
        given(hosts.register(any()))
                .willReturn(
                        new HostView(
                                id,
                                "h1",
                                Map.of(),
                                new HostView.Backend(
                                        BackendType.of("simulated-x86"),
                                        Map.of("virtualized", false)),
                                new HostView.Capabilities(CacheInvalidation.SUPPORTED),
                                Instant.EPOCH,
                                Instant.EPOCH));
        mvc.perform(
                        post("/api/v1/hosts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"name\": \"h1\", \"backend\": {\"type\": \"simulated-x86\"}}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/hosts/" + id))
                .andExpect(jsonPath("$.backend.type").value("simulated-x86"));
    }

    @Test
    void duplicateNameFromTheServiceIs409Problem() throws Exception {
        given(hosts.register(any())).willThrow(new HostProblems.HostNameTaken("h1"));
        mvc.perform(
                        post("/api/v1/hosts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"name\": \"h1\", \"backend\": {\"type\": \"simulated-x86\"}}"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:lethe:problem:host-name-taken"))
                .andExpect(jsonPath("$.detail").value("A host named 'h1' is already registered"));
    }

    @Test
    void invalidBodiesNeverReachTheService() throws Exception {
        mvc.perform(
                        post("/api/v1/hosts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"name\": \"h1\", \"backend\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:lethe:problem:malformed-json"));
        mvc.perform(
                        post("/api/v1/hosts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"name\": \"-bad name\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(
                        jsonPath("$.errors[*].field")
                                .value(Matchers.containsInAnyOrder("backend", "name")));
        verifyNoInteractions(hosts);
    }

    @Test
    void unexpectedFailuresAre500ProblemsWithoutInternals() throws Exception {
        given(hosts.get("boom"))
                .willThrow(new IllegalStateException("secret internals at io.lethe.Foo"));
        mvc.perform(get("/api/v1/hosts/boom"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(content().string(Matchers.not(Matchers.containsString("internals"))));
    }

    @Test
    void wrongMediaTypesAre415And406() throws Exception {
        mvc.perform(post("/api/v1/hosts").contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.type").value("urn:lethe:problem:unsupported-media-type"));
        mvc.perform(get("/api/v1/hosts").accept(MediaType.APPLICATION_XML))
                .andExpect(status().isNotAcceptable());
    }
}
