package io.lethe.region;

import io.lethe.common.LetheProblem;

/** Refusals of region declarations, named as facts. */
final class RegionProblems {

    private RegionProblems() {
    }

    static final class DeviceAlreadyInRegion extends LetheProblem.Conflict {
        DeviceAlreadyInRegion(String deviceId, String regionName) {
            super("Device already in a region", "Device " + deviceId + " is already a member of region '" + regionName + "'");
        }
    }

    static final class RegionNameTaken extends LetheProblem.Conflict {
        RegionNameTaken(String name) {
            super("Region name taken", "The host already has a region named '" + name + "'");
        }
    }

    static final class RegionOverlaps extends LetheProblem.Conflict {
        RegionOverlaps(String other) {
            super("Region overlaps", "The address range overlaps region '" + other + "' of the host");
        }
    }

    static final class InvalidRegion extends LetheProblem.BadRequest {
        InvalidRegion(String field, String detail) {
            super(field, "Invalid region", field + ": " + detail);
        }
    }
}
