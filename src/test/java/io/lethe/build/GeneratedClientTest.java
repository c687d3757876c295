package io.lethe.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client generated from {@code api/openapi.json} for the tests is generated again only
 * when the document changed: a restart with {@code ./mvnw spring-boot:run} then finds the test
 * sources up to date. Shown with the build itself: the generator's execution run twice in a copy of
 * the project leaves the generated files untouched the second time, and an edited document
 * generates them again.
 */
class GeneratedClientTest {

    @TempDir Path project;

    @Test
    void anUnchangedDocumentGeneratesNothingAndAChangedOneGeneratesAgain() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        for (String file :
                List.of(
                        "pom.xml",
                        "mvnw",
                        ".mvn/wrapper/maven-wrapper.properties",
                        "api/openapi.json")) {
            Files.createDirectories(project.resolve(file).getParent());
            Files.copy(
                    here.resolve(file), project.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path client =
                project.resolve(
                        "target/generated-test-sources/lethe-client/src/main/java/io/lethe/client/ApiClient.java");

        generate();
        assertThat(client).exists();
        FileTime first = Files.getLastModifiedTime(client);
        Files.setLastModifiedTime(client, FileTime.fromMillis(first.toMillis() - 60_000));
        FileTime marked = Files.getLastModifiedTime(client);

        generate();
        assertThat(Files.getLastModifiedTime(client))
                .as("the same document generates nothing")
                .isEqualTo(marked);

        Path spec = project.resolve("api/openapi.json");
        Files.writeString(
                spec,
                Files.readString(spec)
                        .replace("\"version\" : \"v1\"", "\"version\" : \"v1-next\""));
        generate();
        assertThat(Files.getLastModifiedTime(client))
                .as("a changed document generates again")
                .isNotEqualTo(marked);
        assertThat(Files.readString(client)).contains("v1-next");
    }

    private void generate() throws IOException, InterruptedException {
        Process build =
                new ProcessBuilder(
                                "sh",
                                "mvnw",
                                "-B",
                                "-q",
                                "-o",
                                "org.openapitools:openapi-generator-maven-plugin:generate@java-client")
                        .directory(project.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue()).as(output).isZero();
    }
}
