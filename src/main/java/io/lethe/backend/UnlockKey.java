package io.lethe.backend;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;

/**
 * Which key an unlock gives the kernel. A request without {@code key} unlocks with its passphrase,
 * as before this choice existed.
 */
public enum UnlockKey implements WireEnum {
    /** The passphrase in the request, held in the receiving replica's memory until the unlock. */
    PASSPHRASE("passphrase"),
    /**
     * The host's own key that ndctl sealed and keeps on the host ({@code /etc/ndctl/keys}): the
     * agent loads it, no passphrase leaves the host. The agent refuses it for devices its own
     * configuration does not list.
     */
    HOST_KEY("host-key");

    private final String wire;

    UnlockKey(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
