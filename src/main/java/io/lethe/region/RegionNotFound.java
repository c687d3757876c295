package io.lethe.region;

import io.lethe.common.LetheProblem;

/** No region has the id given. */
public final class RegionNotFound extends LetheProblem.NotFound {
    public RegionNotFound(String id) {
        super("Region", id);
    }
}
