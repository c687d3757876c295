package io.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lethe.client.JSON;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * One resource: JSON, or "field value" lines of its fields. Nested fields read as text too: an
     * object of plain values on one line ({@code counts succeeded 3, running 1}), an object of more
     * as {@code parent.field} lines, a list of plain values joined, and a list of objects (a
     * batch's hosts, blockers, failures; an operation's steps) as a table after the fields.
     */
    void one(Object value) {
        if (format == Base.Format.json) {
            out.println(toJson(value));
            return;
        }
        JsonNode tree = MAPPER.valueToTree(value);
        List<String[]> lines = new ArrayList<>();
        List<Map.Entry<String, JsonNode>> tables = new ArrayList<>();
        flatten("", tree, lines, tables);
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        for (String[] line : lines) {
            out.println(pad(line[0], width) + "  " + line[1]);
        }
        for (Map.Entry<String, JsonNode> table : tables) {
            out.println();
            out.println(table.getKey() + ":");
            list(table.getValue(), columnsOf(table.getValue()));
        }
    }

    private static void flatten(
            String prefix,
            JsonNode node,
            List<String[]> lines,
            List<Map.Entry<String, JsonNode>> tables) {
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            String name = prefix + field.getKey();
            JsonNode v = field.getValue();
            if (v.isNull()) {
                continue;
            }
            if (v.isObject() && plain(v)) {
                List<String> pairs = new ArrayList<>();
                v.fields().forEachRemaining(e -> pairs.add(e.getKey() + " " + text(e.getValue())));
                lines.add(new String[] {name, pairs.isEmpty() ? "-" : String.join(", ", pairs)});
            } else if (v.isObject()) {
                flatten(name + ".", v, lines, tables);
            } else if (v.isArray() && plain(v)) {
                List<String> items = new ArrayList<>();
                v.forEach(i -> items.add(text(i)));
                lines.add(new String[] {name, items.isEmpty() ? "-" : String.join(", ", items)});
            } else if (v.isArray()) {
                tables.add(Map.entry(name, v));
            } else {
                lines.add(new String[] {name, text(v)});
            }
        }
    }

    /** Whether every value in the object or list is a plain value. */
    private static boolean plain(JsonNode node) {
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    /** The fields of a list's objects, in first-seen order; steps keep their four columns. */
    private static List<String> columnsOf(JsonNode items) {
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode item : items) {
            item.fieldNames().forEachRemaining(columns::add);
        }
        if (columns.containsAll(List.of("name", "state", "attempts", "detail"))) {
            return List.of("name", "state", "attempts", "detail");
        }
        return new ArrayList<>(columns);
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
        if (value.isArray()) {
            // in a table cell, a list of ids reads as how many there are
            return Integer.toString(value.size());
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
