package io.lethe.host;

import io.lethe.security.SealedColumn;
import io.lethe.security.SealedSecrets;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class HostSecrets {

    /**
     * The backends' secrets of hosts, re-sealed with the current key during a key rotation, each
     * for the owner its backend names from the host's settings.
     */
    @Bean
    SealedSecrets hostSealedSecrets(JdbcTemplate jdbc, BackendKinds kinds) {
        return new SealedColumn(
                jdbc,
                new SealedColumn.Spec(
                        "hosts",
                        "id",
                        "backend_secret_enc",
                        List.of("backend_type", "backend_settings"),
                        row ->
                                kinds.of(BackendType.of((String) row.get("backend_type")))
                                        .secretOwner(
                                                UUID.fromString(String.valueOf(row.get("id"))),
                                                (String) row.get("backend_settings"))));
    }
}
