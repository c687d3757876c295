package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.LetheApplication;
import io.lethe.support.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start whose settings cannot work is refused as the service's own process refuses it: in one
 * line that names the setting and what a good value looks like, exit status 2, no stack trace, and
 * before anything is created (the data directory stays absent).
 */
class ConfigurationRefusedInOneLineTest {

    @TempDir Path dir;

    record Refusal(int status, List<String> lines) {}

    private Refusal start(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                ChildJvm.java(),
                                "-Xmx256m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                ChildJvm.classPath(),
                                LetheApplication.class.getName(),
                                "--server.port=0",
                                "--lethe.data-dir=" + dir.resolve("data")));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("LETHE_BOOTSTRAP_TOKEN");
        builder.environment().remove("LETHE_SECRETS_KEY");
        builder.environment().putAll(environment);
        Process process = builder.start();
        // A start that is not refused would serve for ever: it is stopped after a minute.
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Refusal(process.exitValue(), output.lines().filter(l -> !l.isBlank()).toList());
    }

    private void assertRefusedInOneLine(Refusal refusal, String setting, String goodValue) {
        assertThat(refusal.status()).as("%s", refusal.lines()).isEqualTo(2);
        assertThat(refusal.lines()).as("one line").hasSize(1);
        assertThat(refusal.lines().get(0))
                .startsWith("lethe: refused to start: ")
                .contains(setting)
                .contains(goodValue)
                .doesNotContain("Exception");
        assertThat(dir.resolve("data")).as("nothing created").doesNotExist();
    }

    @Test
    void aShortBootstrapTokenIsRefusedBeforeAnythingIsCreated() throws Exception {
        // As a command-line setting: the test class path's configuration fixes the suite's own
        // token, which the environment variable does not override.
        assertRefusedInOneLine(
                start(Map.of(), "--lethe.security.bootstrap-token=too-short"),
                "LETHE_BOOTSTRAP_TOKEN",
                "openssl rand -base64 32");
    }

    @Test
    void aMalformedSecretsKeyIsRefusedNamingItsVariable() throws Exception {
        assertRefusedInOneLine(
                start(Map.of("LETHE_SECRETS_KEY", "not-a-base64-key--")),
                "LETHE_SECRETS_KEY",
                "openssl rand -base64 32");
    }

    @Test
    void aPostgresStartWithoutAnOutsideKeyIsRefusedNamingTheKey() throws Exception {
        assertRefusedInOneLine(
                start(
                        Map.of(
                                "SPRING_DATASOURCE_URL",
                                "jdbc:postgresql://127.0.0.1:5432/test",
                                "SPRING_DATASOURCE_USERNAME",
                                "postgres")),
                "LETHE_SECRETS_KEY",
                "outside the data directory");
    }
}
