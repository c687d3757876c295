package io.lethe.region;

import io.lethe.common.LetheProblem;

/** Refusals of region declarations, named as facts. */
final class RegionProblems {

    private RegionProblems() {}

    static final class DeviceAlreadyInRegion extends LetheProblem.Conflict {
        DeviceAlreadyInRegion(String deviceId, String regionName) {
            super(
                    "Device already in a region",
                    "Device " + deviceId + " is already a member of region '" + regionName + "'");
        }
    }

    static final class RegionNameTaken extends LetheProblem.Conflict {
        RegionNameTaken(String name) {
            super("Region name taken", "The host already has a region named '" + name + "'");
        }
    }

    static final class RegionOverlaps extends LetheProblem.Conflict {
        RegionOverlaps(String other) {
            super(
                    "Region overlaps",
                    "The address range overlaps region '" + other + "' of the host");
        }
    }

    static final class InvalidRegionFilter extends LetheProblem.BadRequest {
        InvalidRegionFilter(String field, String detail) {
            super(field, "Invalid filter", detail);
        }
    }

    static final class InvalidRegion extends LetheProblem.BadRequest {
        InvalidRegion(String field, String detail) {
            super(field, "Invalid region", field + ": " + detail);
        }
    }

    static final class MemberNotReady extends LetheProblem.Conflict {
        MemberNotReady(String deviceId, String status) {
            super(
                    "Member not ready",
                    "Device "
                            + deviceId
                            + " is "
                            + status
                            + ": a region can be declared over it only when no operation holds it and it is not quarantined or retired");
        }
    }

    static final class RegionInUse extends LetheProblem.Conflict {
        RegionInUse(String name, String why) {
            super("Region cannot be removed", "Region '" + name + "' cannot be removed: " + why);
        }
    }
}
