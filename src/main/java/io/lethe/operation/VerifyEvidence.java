package io.lethe.operation;

import io.lethe.region.RegionState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code verify} compares against, taken before the erase: a random canary written through
 * the CPU's view of the region (it lands in the CPU cache, exactly where a missed invalidation would
 * keep it), and digests of each 64-byte line of the media as the previous tenant left it. Lethe
 * keeps digests, never the tenant's bytes.
 */
final class VerifyEvidence {

    static final int LINE = 64;
    /** Evidence taken where neither the media nor the CPU's view could be read. */
    static final String NOTHING = "-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private VerifyEvidence() {
    }

    static String take(StepHandler.StepContext c) {
        byte[] canary = new byte[LINE];
        RANDOM.nextBytes(canary);
        List<String> digests = c.backend().mediaReadable()
                ? lineDigests(c.backend().readMedia(c.host(), c.device().id())) : new ArrayList<>();
        if (c.region() != null && c.region().state() == RegionState.ATTACHED) {
            c.backend().writeThroughCpu(c.host(), c.region(), c.device().id(), canary);
            digests.add(digest(canary));
        }
        // Without a media read or a decoding region there is nothing to compare: verify relies on the device's report.
        return digests.isEmpty() ? NOTHING : String.join(",", digests);
    }

    /** Which evidence lines are still readable in {@code bytes}; empty when none is. */
    static List<Integer> stillReadable(String evidence, byte[] bytes) {
        List<String> wanted = Arrays.asList(evidence.split(","));
        List<String> seen = lineDigests(bytes);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            if (wanted.contains(seen.get(i))) {
                found.add(i);
            }
        }
        return found;
    }

    private static List<String> lineDigests(byte[] bytes) {
        List<String> digests = new ArrayList<>();
        for (int at = 0; at + LINE <= bytes.length; at += LINE) {
            digests.add(digest(Arrays.copyOfRange(bytes, at, at + LINE)));
        }
        return digests;
    }

    private static String digest(byte[] line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
