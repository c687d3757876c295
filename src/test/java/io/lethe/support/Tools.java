package io.lethe.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs some tests drive (Prometheus, docker-compose, Chromium), installed from
 * Debian's packages by .ci/run. Without one a test is skipped with a message, unless {@code
 * LETHE_REQUIRE_TOOLS=1} (CI sets it): then a missing tool fails the test.
 */
public final class Tools {

    private Tools() {}

    public static Path require(String... names) {
        Optional<Path> found =
                Stream.of(names)
                        .flatMap(
                                name ->
                                        Stream.of(System.getenv("PATH").split(":"))
                                                .map(dir -> Path.of(dir, name)))
                        .filter(Files::isExecutable)
                        .findFirst();
        if (found.isEmpty()) {
            String message =
                    String.join(" or ", names)
                            + " is not installed (apt-get install it; .ci/run does)";
            if ("1".equals(System.getenv("LETHE_REQUIRE_TOOLS"))) {
                throw new IllegalStateException(
                        message + "; LETHE_REQUIRE_TOOLS=1, so this is a failure");
            }
            Assumptions.abort(message + "; skipped");
        }
        return found.get();
    }
}
