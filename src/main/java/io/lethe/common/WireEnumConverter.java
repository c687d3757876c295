package io.lethe.common;

import jakarta.persistence.AttributeConverter;

/**
 * Stores a {@link WireEnum} as its wire string, so that entities hold states and names as types
 * while the column keeps the value the API and queries use. One subclass per enum, annotated
 * {@code @Converter}.
 */
public abstract class WireEnumConverter<E extends Enum<E> & WireEnum>
        implements AttributeConverter<E, String> {

    private final Class<E> type;

    protected WireEnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : value.wire();
    }

    @Override
    public E convertToEntityAttribute(String wire) {
        return wire == null ? null : WireEnum.require(type, wire);
    }
}
