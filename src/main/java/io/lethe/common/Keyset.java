package io.lethe.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page starts and how long it is. The cursor is the base64url form of the last id of the
 * previous page, so a page is an index range scan whatever its depth.
 */
public record Keyset(int limit, UUID after) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** Smallest UUID, used as the lower bound of the first page. */
    public static final UUID START = new UUID(0L, 0L);

    public static Keyset of(Integer limit, String cursor) {
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw new InvalidPageRequest(
                    "limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + n);
        }
        return new Keyset(n, cursor == null || cursor.isBlank() ? START : decode(cursor));
    }

    /** Rows to fetch: one more than shown, to learn whether a next page exists. */
    public int fetchSize() {
        return limit + 1;
    }

    static String encode(UUID id) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(id.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static UUID decode(String cursor) {
        try {
            String text =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            return Ids.parse(text)
                    .orElseThrow(
                            () ->
                                    new InvalidPageRequest(
                                            "cursor", "cursor is not one this service issued"));
        } catch (IllegalArgumentException e) {
            throw new InvalidPageRequest("cursor", "cursor is not one this service issued");
        }
    }

    /** The limit or the cursor of a list request is unusable. */
    public static final class InvalidPageRequest extends LetheProblem.BadRequest {
        InvalidPageRequest(String field, String detail) {
            super(field, "Invalid page request", detail);
        }
    }
}
