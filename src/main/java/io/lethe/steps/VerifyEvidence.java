package io.lethe.steps;

import io.lethe.backend.BackendException;
import io.lethe.engine.ReadBack;
import io.lethe.engine.StepHandler;
import io.lethe.region.RegionState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code verify} compares against, taken before the erase: a random per-operation canary
 * written through the CPU's view of the region into the device's share (it lands in the CPU cache,
 * exactly where a missed invalidation would keep it). Only the canary counts: digests of the media
 * as the previous tenant left it would match media that was already blank (a device sanitized
 * before) and fail a healthy device. Lethe keeps a digest of the canary, never a tenant's bytes.
 */
final class VerifyEvidence {

    static final int LINE = 64;

    /** Evidence taken where the region did not decode: no canary could be written. */
    static final String NOTHING = ReadBack.EVIDENCE_REGION_DETACHED;

    /**
     * Evidence taken where the region decodes but nothing maps it for the CPU (System RAM): no
     * canary either.
     */
    static final String NO_CPU_VIEW = ReadBack.EVIDENCE_NO_CPU_VIEW;

    private static final SecureRandom RANDOM = new SecureRandom();

    private VerifyEvidence() {}

    static String take(StepHandler.StepContext c) {
        if (c.region() == null || c.region().state() != RegionState.ATTACHED) {
            // Without a decoding region there is nowhere to write a canary: verify relies on the
            // device's report.
            return NOTHING;
        }
        byte[] canary = new byte[LINE];
        RANDOM.nextBytes(canary);
        try {
            c.backend().writeThroughCpu(c.host(), c.region(), c.device(), canary);
        } catch (BackendException.NoCpuView none) {
            return NO_CPU_VIEW;
        }
        return digest(canary);
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
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(line), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
