package io.lethe.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeysetTest {

    @Test
    void firstPageStartsBeforeEveryId() {
        Keyset first = Keyset.of(null, null);
        assertThat(first.limit()).isEqualTo(100);
        assertThat(first.after().compareTo(Ids.newId())).isNegative();
    }

    @Test
    void cursorOfAPageLeadsToTheRowAfterItsLastItem() {
        List<UUID> rows = IntStream.range(0, 4).mapToObj(i -> Ids.newId()).sorted().toList();
        CursorPage<UUID> page = CursorPage.of(rows, Keyset.of(3, null), id -> id, id -> id);
        assertThat(page.items()).containsExactlyElementsOf(rows.subList(0, 3));
        assertThat(Keyset.of(3, page.nextCursor()).after()).isEqualTo(rows.get(2));
    }

    @Test
    void lastPageHasNoCursor() {
        List<UUID> rows = List.of(Ids.newId(), Ids.newId());
        assertThat(CursorPage.of(rows, Keyset.of(2, null), id -> id, id -> id).nextCursor())
                .isNull();
    }

    @Test
    void refusesLimitsOutOfRangeAndForeignCursors() {
        assertThatThrownBy(() -> Keyset.of(0, null)).isInstanceOf(Keyset.InvalidPageRequest.class);
        assertThatThrownBy(() -> Keyset.of(1001, null))
                .isInstanceOf(Keyset.InvalidPageRequest.class);
        assertThatThrownBy(() -> Keyset.of(10, "%%%"))
                .isInstanceOf(Keyset.InvalidPageRequest.class);
        assertThatThrownBy(() -> Keyset.of(10, "aGVsbG8"))
                .isInstanceOf(Keyset.InvalidPageRequest.class);
    }
}
