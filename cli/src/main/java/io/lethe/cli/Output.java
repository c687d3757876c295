package io.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lethe.client.JSON;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints results: the whole JSON document, or a table of chosen columns for people. */
final class Output {

    static final ObjectMapper MAPPER =
            new JSON().getMapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private final Base.Format format;
    private final PrintStream out;

    Output(Base.Format format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** One resource: JSON, or "field value" lines of its fields. */
    void one(Object value) {
        if (format == Base.Format.json) {
            out.println(toJson(value));
            return;
        }
        JsonNode tree = MAPPER.valueToTree(value);
        int width = 0;
        for (var names = tree.fieldNames(); names.hasNext(); ) {
            width = Math.max(width, names.next().length());
        }
        for (var fields = tree.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (field.getValue().isNull() || field.getKey().equals("steps")) {
                continue;
            }
            out.println(pad(field.getKey(), width) + "  " + text(field.getValue()));
        }
        if (tree.has("steps")) {
            out.println();
            list(tree.get("steps"), List.of("name", "state", "attempts", "detail"));
        }
    }

    /** A page of resources: JSON (items and nextCursor), or a table of the given columns. */
    void page(Object page, List<String> columns) {
        if (format == Base.Format.json) {
            out.println(toJson(page));
            return;
        }
        JsonNode tree = MAPPER.valueToTree(page);
        list(tree.path("items"), columns);
        if (tree.hasNonNull("nextCursor")) {
            out.println("(more: --cursor " + tree.get("nextCursor").asText() + ")");
        }
    }

    private void list(JsonNode items, List<String> columns) {
        List<String[]> rows = new ArrayList<>();
        rows.add(
                columns.stream()
                        .map(c -> c.substring(c.lastIndexOf('.') + 1).toUpperCase())
                        .toArray(String[]::new));
        for (JsonNode item : items) {
            rows.add(
                    columns.stream()
                            .map(c -> text(item.at("/" + c.replace('.', '/'))))
                            .toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i]) + "  ");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** A bare text result (a compact JWS, a PEM), the same in both formats but for JSON quoting. */
    void text(String value) {
        out.println(format == Base.Format.json ? toJson(value) : value);
    }

    private static String text(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
