package io.lethe.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A place outside the database that keeps signed checkpoints, as verification found it.
 *
 * @param sink its kind and where (never a credential)
 * @param checkpoints how many of its checkpoints the chain was held against
 * @param pending checkpoints this replica has not delivered to it yet
 * @param failures deliveries it refused or missed since this replica started
 * @param error why it could not be read or the last delivery failed; absent when all is well
 */
@Schema(name = "CheckpointSink")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutsideCopy(String sink, int checkpoints, int pending, long failures, String error) {}
