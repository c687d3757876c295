package io.lethe.web;

import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the OpenAPI document promises beyond what springdoc infers from the handlers: the status
 * each operation really answers on success (201 or 202 with {@code Location}, 204), and every
 * problem it can answer, all with the one {@code Problem} schema (RFC 9457, plus Lethe's {@code
 * code} and {@code errors}). Keyed by the operation ids, which are part of the contract.
 */
@Configuration(proxyBeanMethods = false)
class ApiContract {

    static final String PROBLEM = "application/problem+json";

    /** Operations that answer 201 Created with the new resource's Location. */
    private static final Set<String> CREATED =
            Set.of(
                    "registerHost",
                    "registerDevice",
                    "declareRegion",
                    "createToken",
                    "rotateSigningKey");

    private static final Set<String> CREATED_WITH_LOCATION =
            Set.of("registerHost", "registerDevice", "declareRegion", "createToken");

    /** Operations that answer 202 Accepted; those that start something also send its Location. */
    private static final Set<String> ACCEPTED =
            Set.of(
                    "startSecureErase",
                    "startDecommission",
                    "startUnlock",
                    "startBatch",
                    "cancelOperation",
                    "cancelBatch");

    private static final Set<String> ACCEPTED_WITH_LOCATION =
            Set.of("startSecureErase", "startDecommission", "startUnlock", "startBatch");

    /** Operations that answer 204 No Content. */
    private static final Set<String> NO_CONTENT = Set.of("removeRegion");

    /**
     * Operations that change state another request may contend for, or refuse for the state they
     * find: 409 with the reason.
     */
    private static final Set<String> CONFLICTS =
            Set.of(
                    "registerHost",
                    "registerAgent",
                    "registerDevice",
                    "declareRegion",
                    "removeRegion",
                    "startSecureErase",
                    "startDecommission",
                    "startUnlock",
                    "startBatch",
                    "cancelOperation",
                    "cancelBatch",
                    "discoverHost",
                    "rotateSigningKey",
                    "reencryptSecrets",
                    "createToken",
                    "revokeToken",
                    "getCertificate",
                    "resetUnlockAttemptEstimate");

    /**
     * The tags in the order a reader meets the service: inventory, then work on it, then its
     * evidence and administration.
     */
    static final List<String> TAG_ORDER =
            List.of(
                    "Hosts",
                    "Devices",
                    "Regions",
                    "Operations",
                    "Batches",
                    "Certificates",
                    "Audit",
                    "Tokens",
                    "Secret custody");

    @Bean
    GlobalOpenApiCustomizer letheApiContract() {
        return api -> {
            if (api.getTags() != null) {
                api.getTags()
                        .sort(
                                Comparator.comparingInt(
                                        t -> {
                                            int at = TAG_ORDER.indexOf(t.getName());
                                            return at < 0 ? TAG_ORDER.size() : at;
                                        }));
            }
            api.getComponents().addSchemas("Problem", ApiResponseParts.problemSchema());
            api.getComponents()
                    .getSchemas()
                    .values()
                    .forEach(ApiResponseParts::nullInNullableEnums);
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths()
                    .forEach(
                            (path, item) ->
                                    item.readOperationsMap()
                                            .forEach(
                                                    (method, operation) -> {
                                                        if (!path.startsWith("/api/")) {
                                                            return;
                                                        }
                                                        String id = operation.getOperationId();
                                                        ApiResponses responses =
                                                                operation.getResponses();
                                                        success(id, responses);
                                                        Map<String, String> problems =
                                                                new LinkedHashMap<>();
                                                        if (operation.getRequestBody() != null
                                                                || operation.getParameters() != null
                                                                        && operation
                                                                                .getParameters()
                                                                                .stream()
                                                                                .anyMatch(
                                                                                        p ->
                                                                                                "query"
                                                                                                        .equals(
                                                                                                                p
                                                                                                                        .getIn()))) {
                                                            problems.put(
                                                                    "400",
                                                                    "The request is malformed or a field is invalid (errors[] names each field)");
                                                        }
                                                        problems.put(
                                                                "401", "No valid bearer token");
                                                        problems.put(
                                                                "403",
                                                                "The token's roles do not allow this");
                                                        if (path.contains("{")) {
                                                            problems.put("404", "No such resource");
                                                        }
                                                        if (CONFLICTS.contains(id)) {
                                                            problems.put(
                                                                    "409",
                                                                    "Refused in the resource's current state; the detail says why");
                                                        }
                                                        if (operation.getRequestBody() != null) {
                                                            problems.put(
                                                                    "413", "The body is too large");
                                                            problems.put(
                                                                    "415",
                                                                    "The body is not application/json");
                                                        }
                                                        if ("registerHost".equals(id)) {
                                                            problems.put(
                                                                    "422",
                                                                    "A simulated host while lethe.backends.simulated.enabled is false");
                                                        }
                                                        if ("startUnlock".equals(id)) {
                                                            problems.put(
                                                                    "422",
                                                                    "Wrong passphrase; attemptsLeft is Lethe's own count");
                                                            problems.put(
                                                                    "429",
                                                                    "Too many unlock attempts on this device, or too many failed authentications from"
                                                                            + " this client; Retry-After says when to try again");
                                                        } else {
                                                            problems.put(
                                                                    "429",
                                                                    "Too many failed authentications from this client; Retry-After says when to try again");
                                                        }
                                                        problems.forEach(
                                                                (status, description) -> {
                                                                    if (!responses.containsKey(
                                                                            status)) {
                                                                        responses.addApiResponse(
                                                                                status,
                                                                                ApiResponseParts
                                                                                        .problem(
                                                                                                description));
                                                                    }
                                                                });
                                                        responses
                                                                .values()
                                                                .forEach(
                                                                        ApiResponseParts
                                                                                ::jsonFirst);
                                                    }));
        };
    }

    private static void success(String id, ApiResponses responses) {
        if (id == null) {
            return;
        }
        String status =
                CREATED.contains(id)
                        ? "201"
                        : ACCEPTED.contains(id) ? "202" : NO_CONTENT.contains(id) ? "204" : null;
        if (status == null) {
            return;
        }
        if (responses.containsKey(status)) {
            // declared on the handler (a dry run's 200 next to the 202, say): only the Location is
            // added
            if (ACCEPTED_WITH_LOCATION.contains(id) || CREATED_WITH_LOCATION.contains(id)) {
                responses.get(status).addHeaderObject("Location", ApiResponseParts.location());
            }
            return;
        }
        ApiResponse ok = responses.get("200");
        if (ok == null) {
            return;
        }
        responses.remove("200");
        if (status.equals("204")) {
            responses.addApiResponse(status, new ApiResponse().description("Done; no body"));
            return;
        }
        ok.setDescription(status.equals("201") ? "Created" : "Accepted");
        if (CREATED_WITH_LOCATION.contains(id) || ACCEPTED_WITH_LOCATION.contains(id)) {
            ok.addHeaderObject("Location", ApiResponseParts.location());
        }
        responses.addApiResponse(status, ok);
    }
}
