package io.lethe.operation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The secrets scan on the embedded default: the bytes of every file under the data directory. */
class SecretsNeverLeakH2Test extends SecretsNeverLeakContract {

    static final Path DATA = tempDir();

    @DynamicPropertySource
    static void fileDatabase(DynamicPropertyRegistry registry) {
        registry.add("lethe.data-dir", DATA::toString);
        registry.add(
                "spring.datasource.url",
                () ->
                        "jdbc:h2:file:"
                                + DATA
                                + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
    }

    @Override
    String rawFiles() throws Exception {
        return storedData();
    }

    @Override
    String storedData() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(DATA)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}
