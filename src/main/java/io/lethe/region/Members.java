package io.lethe.region;

import java.util.List;
import java.util.UUID;

/** What a region's members, taken together, say about whether it may decode or go. */
final class Members {

    private Members() {}

    /**
     * Why the members keep the region from decoding, or null: a retired member (the interleave is
     * fixed), or one whose memory is in an unknown state (a change never seen to end).
     */
    static String unready(List<Member> members) {
        for (Member member : members) {
            if (member.retired()) {
                return "member "
                        + member.deviceId()
                        + " is retired: the region's interleave is fixed, so it stays"
                        + " detached; declare a new region without it";
            }
            if (member.mediaUnknown()) {
                return "member "
                        + member.deviceId()
                        + " has an unknown media state (operation "
                        + member.changingOperation()
                        + " started an erase or unlock that was never seen to end);"
                        + " a new secure erase of it, then an invalidation, clears this";
            }
        }
        return null;
    }

    /**
     * Why the members keep the region from being removed, or null: a member (other than a retired
     * one) whose memory is unknown, or whose last change no invalidation covers.
     */
    static String removalRefusal(List<Member> members, Barrier barrier) {
        for (Member member : members) {
            if (member.retired()) {
                continue;
            }
            if (member.mediaUnknown()) {
                return "member "
                        + member.deviceId()
                        + " has an unknown media state; erase it first";
            }
            if (!barrier.covers(member)) {
                return "member "
                        + member.deviceId()
                        + " changed after the last invalidation; erase it first";
            }
        }
        return null;
    }

    static Member find(List<Member> members, UUID deviceId, UUID regionId) {
        return members.stream()
                .filter(m -> m.deviceId().equals(deviceId))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "device "
                                                + deviceId
                                                + " is no member of region "
                                                + regionId));
    }
}
