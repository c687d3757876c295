package io.lethe.common;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One page of a keyset-paginated list: the items and the opaque cursor of the next page ({@code
 * null} on the last page).
 */
public record CursorPage<T>(
        List<T> items,
        @Schema(description = "Cursor of the next page; null on the last page", nullable = true)
                String nextCursor) {

    /**
     * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that a next
     * page exists, and the cursor points after the last row shown.
     */
    public static <R, T> CursorPage<T> of(
            List<R> rowsPlusOne, Keyset keyset, Function<R, UUID> id, Function<R, T> view) {
        boolean more = rowsPlusOne.size() > keyset.limit();
        List<R> shown = more ? rowsPlusOne.subList(0, keyset.limit()) : rowsPlusOne;
        String next = more ? Keyset.encode(id.apply(shown.get(shown.size() - 1))) : null;
        return new CursorPage<>(shown.stream().map(view).toList(), next);
    }
}
