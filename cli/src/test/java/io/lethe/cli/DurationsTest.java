package io.lethe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

    private final Durations durations = new Durations();

    @Test
    void readsShortFormsAndIso8601() {
        assertThat(durations.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(durations.convert("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(durations.convert("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(durations.convert("PT2H")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void refusesWhatIsNotAPositiveDuration() {
        for (String bad :
                new String[] {"", "2", "h", "2x", "2h junk", "0s", "PT0S", "-PT1S", "P"}) {
            assertThatThrownBy(() -> durations.convert(bad))
                    .as(bad)
                    .isInstanceOf(TypeConversionException.class);
        }
    }
}
