package io.lethe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.common.ContainerProblemReport;
import io.lethe.common.LetheProblem;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * A problem's {@code code} is a stable slug clients switch on, so it must not depend on the
 * machine's language: lower-casing by the default locale turns {@code I} into a dotless {@code ı}
 * under Turkish ({@code String.toLowerCase()}'s documented pitfall), and a JVM takes its default
 * locale from {@code LANG}. The service is run here as on a Turkish machine.
 */
class ProblemCodesIgnoreTheDefaultLocaleTest {

    private Locale before;

    @BeforeEach
    void runAsOnATurkishMachine() {
        before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    }

    @AfterEach
    void restore() {
        Locale.setDefault(before);
    }

    static final class InvalidIdentifierInPath extends LetheProblem {
        InvalidIdentifierInPath() {
            super(HttpStatus.BAD_REQUEST, "Invalid identifier", "Identifier 'x' is invalid");
        }
    }

    static final class ThingNotFound extends LetheProblem.NotFound {
        ThingNotFound() {
            super("Identity", "x");
        }
    }

    @Test
    void aProblemsCodeIsItsNameInAsciiKebabCase() {
        assertThat(new InvalidIdentifierInPath().slug()).isEqualTo("invalid-identifier-in-path");
        assertThat(new ThingNotFound().getMessage()).isEqualTo("No identity with id 'x'");
    }

    @Test
    void theCodesOfPlainStatusesAreAsciiForEveryStatus() {
        for (HttpStatus status : HttpStatus.values()) {
            assertThat(ApiExceptionHandler.slugOf(status)).as(status.name()).matches("[a-z0-9-]+");
            assertThat(ContainerProblemReport.slug(status)).as(status.name()).matches("[a-z0-9-]+");
        }
        assertThat(ApiExceptionHandler.slugOf(HttpStatus.UNSUPPORTED_MEDIA_TYPE))
                .isEqualTo("unsupported-media-type");
    }
}
