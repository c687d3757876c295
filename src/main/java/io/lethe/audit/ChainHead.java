package io.lethe.audit;

/** The last chained record: how many records the chain holds, and the hash of the last. */
public record ChainHead(long seq, String hash) {}
