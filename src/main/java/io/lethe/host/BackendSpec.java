package io.lethe.host;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The backend of a host as given at registration, told apart by {@code type}: each backend declares
 * its own record ({@link BackendKind#specType()}), registered under its type's wire name for the
 * JSON the service reads ({@code BackendSpecTypes}) and for the OpenAPI document ({@code
 * BackendSpecSchema}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@Schema(description = "The host's backend, chosen by type")
public interface BackendSpec {}
