package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.LetheApplication;
import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** On any database but the embedded H2 the secrets key must not be a file beside the data. */
@RequiresPostgres
class OutsideSecretsKeyPostgresTest {

    @TempDir Path data;

    private static final String KEY_A =
            Base64.getEncoder().encodeToString("key-a-key-a-key-a-key-a-key-a-32".getBytes());

    @Test
    void onPostgresTheSecretsKeyMustComeFromOutsideTheDataDirectory() {
        String schema = PostgresTestDatabase.newSchema();
        String url =
                PostgresTestDatabase.URL
                        + (PostgresTestDatabase.URL.contains("?") ? "&" : "?")
                        + "currentSchema="
                        + schema;
        String[] postgres = {
            "--server.port=0",
            "--lethe.data-dir=" + data,
            "--spring.datasource.url=" + url,
            "--spring.datasource.username=" + PostgresTestDatabase.USER,
            "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
            "--spring.flyway.schemas=" + schema,
            "--spring.flyway.default-schema=" + schema,
            "--lethe.secrets.key="
        };
        assertThatThrownBy(() -> new SpringApplicationBuilder(LetheApplication.class).run(postgres))
                .hasStackTraceContaining("Give the key from outside");
        String[] withKey = postgres.clone();
        withKey[withKey.length - 1] = "--lethe.secrets.key=" + KEY_A;
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class).run(withKey)) {
            assertThat(app.isActive()).isTrue();
        }
    }
}
