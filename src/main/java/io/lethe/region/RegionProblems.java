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

    /** Code {@code range-not-invalidated}. */
    static final class RangeNotInvalidated extends LetheProblem.Conflict {
        RangeNotInvalidated(long base, long size, String host) {
            super(
                    "Range not invalidated",
                    "Addresses "
                            + Long.toHexString(base)
                            + "+"
                            + Long.toHexString(size)
                            + " decoded for another region since the host's last cache invalidation,"
                            + " and host "
                            + host
                            + " cannot invalidate its CPU caches: a region there could read that"
                            + " region's cached lines. Declare it at another baseAddress.");
        }
    }

    /** Code {@code region-decodes}: Lethe's record and the hardware disagree. */
    static final class RegionDecodes extends LetheProblem.Conflict {
        RegionDecodes(String name) {
            super(
                    "Region decodes",
                    "Lethe's record says region '"
                            + name
                            + "' is detached, but its host decodes it: it is not removed. Run a secure"
                            + " erase of a member (its detach resets the decoders), then remove it.");
        }
    }

    /** Code {@code region-state-unknown}. */
    static final class RegionStateUnknown extends LetheProblem.Conflict {
        RegionStateUnknown(String name, String why) {
            super(
                    "Region state unknown",
                    "The host of region '"
                            + name
                            + "' could not say whether it decodes the region ("
                            + why
                            + "): it is not removed");
        }
    }

    static final class RegionInUse extends LetheProblem.Conflict {
        RegionInUse(String name, String why) {
            super("Region cannot be removed", "Region '" + name + "' cannot be removed: " + why);
        }
    }
}
