package io.lethe.engine;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link Ledger} as a JSON object in {@code operations.ledger}: each component under its own
 * name, numbers as numbers, instants as ISO-8601 text, absent ones left out. The V24 migration
 * writes the ledgers of operations stored before it in this same form, so they resume. An unknown
 * name is ignored: a document written by a later version still reads.
 */
@Converter
final class LedgerDocument implements AttributeConverter<Ledger, String> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String convertToDatabaseColumn(Ledger ledger) {
        Map<String, Object> document = new LinkedHashMap<>();
        if (ledger != null) {
            put(document, "mediaChangeSeq", ledger.mediaChangeSeq());
            put(document, "mediaChangedAt", ledger.mediaChangedAt());
            put(document, "invalidationSeq", ledger.invalidationSeq());
            put(document, "invalidationStartedAt", ledger.invalidationStartedAt());
            put(document, "verifyEvidence", ledger.verifyEvidence());
        }
        return JSON.writeValueAsString(document);
    }

    @Override
    public Ledger convertToEntityAttribute(String text) {
        if (text == null || text.isBlank()) {
            return Ledger.EMPTY;
        }
        JsonNode document = JSON.readTree(text);
        return new Ledger(
                number(document, "mediaChangeSeq"),
                instant(document, "mediaChangedAt"),
                number(document, "invalidationSeq"),
                instant(document, "invalidationStartedAt"),
                document.hasNonNull("verifyEvidence")
                        ? document.get("verifyEvidence").asString()
                        : null);
    }

    private static void put(Map<String, Object> document, String name, Object value) {
        if (value != null) {
            document.put(name, value instanceof Instant at ? at.toString() : value);
        }
    }

    private static Long number(JsonNode document, String name) {
        return document.hasNonNull(name) ? document.get(name).asLong() : null;
    }

    private static Instant instant(JsonNode document, String name) {
        return document.hasNonNull(name) ? Instant.parse(document.get(name).asString()) : null;
    }
}
