package io.lethe.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

/**
 * First come, first served, as admission promises it: an operation is admitted only if every older
 * operation still waiting on the host gets a slot too. So at any admission, the slots already held
 * plus the older operations still waiting plus the admitted one fit within the limit; a younger
 * operation may be admitted before an older one only within the same wave.
 */
public final class AdmissionOrder {

    private AdmissionOrder() {}

    /** One operation of one host: its creation order (index in the list), admission and end. */
    public record Admitted(Instant admittedAt, Instant finishedAt) {}

    public static void assertFirstComeFirstServed(List<Admitted> byCreation, int limit) {
        for (int b = 0; b < byCreation.size(); b++) {
            Instant at = byCreation.get(b).admittedAt();
            long holding =
                    byCreation.stream()
                            .filter(o -> o.admittedAt().isBefore(at) && o.finishedAt().isAfter(at))
                            .count();
            long olderWaiting =
                    byCreation.subList(0, b).stream()
                            .filter(o -> o.admittedAt().isAfter(at))
                            .count();
            assertThat(holding + olderWaiting + 1)
                    .as("operation %d admitted at %s overtook an older one that had no slot", b, at)
                    .isLessThanOrEqualTo(limit);
        }
    }
}
