package io.lethe.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.device.DeviceStatus;
import io.lethe.engine.OperationState;
import org.junit.jupiter.api.Test;

/** A wire string reads back as its constant, for every constant; anything else as none. */
class WireEnumTest {

    enum Colour implements WireEnum {
        DEEP_RED("deep-red"),
        BLUE("blue");

        private final String wire;

        Colour(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    @Test
    void everyConstantReadsBackFromItsWireString() {
        for (Colour c : Colour.values()) {
            assertThat(WireEnum.fromWire(Colour.class, c.wire())).contains(c);
        }
        for (DeviceStatus s : DeviceStatus.values()) {
            assertThat(WireEnum.require(DeviceStatus.class, s.wire())).isSameAs(s);
        }
        for (OperationState s : OperationState.values()) {
            assertThat(WireEnum.require(OperationState.class, s.wire())).isSameAs(s);
        }
    }

    @Test
    void anUnknownOrMissingWireStringIsNone() {
        assertThat(WireEnum.fromWire(Colour.class, "DEEP_RED")).isEmpty();
        assertThat(WireEnum.fromWire(Colour.class, "green")).isEmpty();
        assertThat(WireEnum.fromWire(Colour.class, null)).isEmpty();
        // another type's wire string is not this type's
        assertThat(WireEnum.fromWire(DeviceStatus.class, "deep-red")).isEmpty();
        assertThatThrownBy(() -> WireEnum.require(Colour.class, "green"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'green' is not one of [deep-red, blue]");
    }
}
