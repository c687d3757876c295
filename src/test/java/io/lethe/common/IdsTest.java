package io.lethe.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsAreVersion7AndOrderedByCreationTime() throws InterruptedException {
        UUID earlier = Ids.newId();
        Thread.sleep(2);
        UUID later = Ids.newId();
        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.compareTo(later)).isNegative();
    }

    @Test
    void idsMadeWithinOneMillisecondStillIncrease() {
        UUID previous = Ids.newId();
        for (int i = 0; i < 20_000; i++) {
            UUID next = Ids.newId();
            assertThat(next).as("id %d", i).isGreaterThan(previous);
            assertThat(next.version()).isEqualTo(7);
            previous = next;
        }
    }

    @Test
    void parsesOnlyCanonicalUuids() {
        UUID id = Ids.newId();
        assertThat(Ids.parse(id.toString())).contains(id);
        assertThat(Ids.parse("1-2-3-4-5")).isEmpty();
        assertThat(Ids.parse("not-a-uuid")).isEmpty();
        assertThat(Ids.parse(null)).isEmpty();
    }
}
