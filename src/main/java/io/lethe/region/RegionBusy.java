package io.lethe.region;

/**
 * A region cannot be taken detached now: a commit of it was decided and its committer is calling
 * the hardware. Ask again shortly; the commit is recorded or abandoned within the step timeout.
 */
public final class RegionBusy extends RuntimeException {
    public RegionBusy(String region) {
        super("region " + region + " is being committed by another operation", null, false, false);
    }
}
