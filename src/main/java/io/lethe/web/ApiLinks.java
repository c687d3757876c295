package io.lethe.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.links.Link;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * OpenAPI links along the main flows, so that stateful clients and testers can follow them: a host
 * registered to its devices and discovery, a device to its erase, an operation to its progress,
 * events and certificate, a batch to itself and its operations. Each link passes the id from the
 * success answer's body.
 */
@Configuration(proxyBeanMethods = false)
class ApiLinks {

    private static final String ID = "$response.body#/id";

    /** Source operation, then each link: name, target operation, target parameter. */
    private static final Map<String, List<String[]>> FLOWS =
            Map.of(
                    "registerHost",
                    List.of(
                            new String[] {"host", "getHost", "id"},
                            new String[] {"discover", "discoverHost", "id"},
                            new String[] {"registerDevice", "registerDevice", "hostId"}),
                    "registerDevice",
                    List.of(
                            new String[] {"device", "getDevice", "id"},
                            new String[] {"secureErase", "startSecureErase", "id"},
                            new String[] {"decommission", "startDecommission", "id"},
                            new String[] {"unlock", "startUnlock", "id"}),
                    "startSecureErase",
                    operationLinks(true),
                    "startDecommission",
                    operationLinks(true),
                    "startUnlock",
                    operationLinks(false),
                    "getOperation",
                    List.<String[]>of(new String[] {"certificate", "getCertificate", "id"}),
                    "startBatch",
                    List.of(
                            new String[] {"batch", "getBatch", "id"},
                            new String[] {"operations", "listOperations", "batchId"}));

    private static List<String[]> operationLinks(boolean erases) {
        List<String[]> links =
                List.of(
                        new String[] {"operation", "getOperation", "id"},
                        new String[] {"events", "followOperation", "id"},
                        new String[] {"cancel", "cancelOperation", "id"});
        if (!erases) {
            return links;
        }
        return List.of(
                links.get(0),
                links.get(1),
                links.get(2),
                new String[] {"certificate", "getCertificate", "id"});
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    GlobalOpenApiCustomizer letheApiLinks() {
        return api -> {
            if (api.getPaths() == null) {
                return;
            }
            for (PathItem item : api.getPaths().values()) {
                for (Operation op : item.readOperations()) {
                    List<String[]> links = FLOWS.get(op.getOperationId());
                    if (links == null || op.getResponses() == null) {
                        continue;
                    }
                    // the answer that carries the resource: 201 or 202 where the operation
                    // creates or starts one (a batch's 200 is a dry run's plan), else 200
                    ApiResponse success =
                            op.getResponses().containsKey("201")
                                    ? op.getResponses().get("201")
                                    : op.getResponses().containsKey("202")
                                            ? op.getResponses().get("202")
                                            : op.getResponses().get("200");
                    if (success != null) {
                        add(success, links);
                    }
                }
            }
        };
    }

    private static void add(ApiResponse response, List<String[]> links) {
        for (String[] link : links) {
            response.link(
                    link[0],
                    new Link()
                            .operationId(link[1])
                            .addParameter(link[2], ID)
                            .description("The " + link[1] + " of the id in this answer"));
        }
    }
}
