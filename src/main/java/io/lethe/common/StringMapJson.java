package io.lethe.common;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stores a small string map as a JSON text column, the same way on H2 and PostgreSQL. */
@Converter
public class StringMapJson implements AttributeConverter<Map<String, String>, String> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() {};

    @Override
    public String convertToDatabaseColumn(Map<String, String> map) {
        return map == null || map.isEmpty() ? null : JSON.writeValueAsString(new TreeMap<>(map));
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String column) {
        return column == null ? new TreeMap<>() : JSON.readValue(column, TYPE);
    }
}
