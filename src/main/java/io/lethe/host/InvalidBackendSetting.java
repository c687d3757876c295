package io.lethe.host;

import io.lethe.common.LetheProblem;

/** A backend's settings, as given for a host, refused by the backend: the field and why. */
public final class InvalidBackendSetting extends LetheProblem.BadRequest {

    private final String reason;

    public InvalidBackendSetting(String field, String reason) {
        super(field, "Invalid backend setting", field + ": " + reason);
        this.reason = reason;
    }

    /** The same refusal, of the same setting given in another request's field. */
    public InvalidBackendSetting at(String otherField) {
        return new InvalidBackendSetting(otherField, reason);
    }
}
