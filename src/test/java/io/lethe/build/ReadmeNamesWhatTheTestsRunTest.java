package io.lethe.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 36, item 9: the README says what {@code ./mvnw verify} needs besides Java. Every program
 * the tests start (a string that opens a command line in the test sources and is an executable on
 * this machine) must be named in the README's "Run and test" section, so that a test that starts
 * using a new tool cannot leave the README behind. The oracle is the machine's own PATH.
 */
class ReadmeNamesWhatTheTestsRunTest {

    static final Pattern COMMAND =
            Pattern.compile(
                    "(?:new ProcessBuilder\\(|List\\.of\\(|Tools\\.run\\(|run\\()\\s*\"([a-z][a-z0-9_.-]*)\"");

    /** Programs every Linux machine has, and Java itself (the first row of the table). */
    static final Set<String> BASIC =
            Set.of("bash", "sh", "env", "true", "false", "test", "java", "kill", "sleep", "cat");

    /** How the README names a program whose package has another name. */
    static final Map<String, String> NAMED = Map.of("qemu-system-x86_64", "QEMU");

    @Test
    void everyProgramTheTestsStartIsNamedInTheReadme() throws IOException {
        Set<String> started = new TreeSet<>();
        for (Path dir : Set.of(Path.of("src/test/java"), Path.of("cli/src/test/java"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = COMMAND.matcher(Files.readString(file));
                    while (m.find()) {
                        if (!BASIC.contains(m.group(1)) && onPath(m.group(1))) {
                            started.add(m.group(1));
                        }
                    }
                }
            }
        }
        String readme = Files.readString(Path.of("README.md"));
        String section =
                readme.substring(
                        readme.indexOf("## Run and test"),
                        readme.indexOf("./mvnw spring-boot:run"));
        assertThat(started).as("programs the tests start").contains("openssl", "python3");
        for (String program : started) {
            assertThat(section)
                    .as("the README's Run and test section names %s, which a test starts", program)
                    .contains(NAMED.getOrDefault(program, program));
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
