package io.lethe.web;

import io.lethe.common.WireEnum;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says what is wrong with an unreadable body in words of our own. Jackson's messages echo input
 * values, and an input value may be a passphrase, so they are never passed on.
 */
record JsonProblem(String title, String slug, String field, String message) {

    String detail() {
        return field == null ? message : field + ": " + message;
    }

    static JsonProblem describe(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause == null) {
            return new JsonProblem(
                    "Missing body", "missing-body", null, "The request needs a JSON body");
        }
        if (cause instanceof StreamReadException read
                && !(cause instanceof MismatchedInputException)) {
            var at = read.getLocation();
            return new JsonProblem(
                    "Malformed JSON",
                    "malformed-json",
                    null,
                    at == null
                            ? "The body is not valid JSON"
                            : "The body is not valid JSON (line "
                                    + at.getLineNr()
                                    + ", column "
                                    + at.getColumnNr()
                                    + ")");
        }
        if (!(cause instanceof JacksonException json)) {
            return new JsonProblem(
                    "Unreadable body", "unreadable-body", null, "The body cannot be read as JSON");
        }
        String field = path(json);
        String where = field == null || field.isEmpty() ? "body" : field;
        return new JsonProblem("Invalid JSON value", "invalid-json-value", where, detailOf(json));
    }

    private static String detailOf(JacksonException json) {
        if (json instanceof UnrecognizedPropertyException u) {
            return "unknown property '" + u.getPropertyName() + "'";
        }
        if (json instanceof InvalidTypeIdException) {
            return "missing or unknown type; expected one of the documented types";
        }
        if (json instanceof InvalidFormatException f) {
            return f.getTargetType() != null && f.getTargetType().isEnum()
                    ? "must be one of " + allowed(f.getTargetType())
                    : "has the wrong format for a " + simpleType(f.getTargetType());
        }
        if (json instanceof MismatchedInputException m) {
            return m.getTargetType() == null
                    ? "has the wrong type"
                    : "must be a " + simpleType(m.getTargetType());
        }
        return "cannot be read";
    }

    private static String path(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : json.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String allowed(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(c -> c instanceof WireEnum w ? w.wire() : c.toString())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "JSON object";
    }
}
