package io.lethe.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares what the events of a Server-Sent Events answer carry. OpenAPI 3.1 has no keyword for the
 * items of a stream (3.2's {@code itemSchema}), and declaring the item's schema as the stream's
 * would tell generators the whole body is one JSON document; so the stream stays {@code type:
 * string} and {@code x-event-schemas} maps each event name to the schema of its {@code data}.
 */
@Configuration(proxyBeanMethods = false)
class EventStreamSchemas {

    static final String EXTENSION = "x-event-schemas";

    /** Operation id, then event name to the component schema its data validates against. */
    private static final Map<String, Map<String, String>> STREAMS =
            Map.of("followOperation", Map.of("operation", "Operation"));

    @Bean
    GlobalOpenApiCustomizer letheEventStreamSchemas() {
        return api -> {
            if (api.getPaths() == null) {
                return;
            }
            for (PathItem item : api.getPaths().values()) {
                for (Operation op : item.readOperations()) {
                    Map<String, String> events = STREAMS.get(op.getOperationId());
                    ApiResponse ok =
                            op.getResponses() == null ? null : op.getResponses().get("200");
                    if (events == null || ok == null || ok.getContent() == null) {
                        continue;
                    }
                    MediaType stream = ok.getContent().get("text/event-stream");
                    if (stream == null) {
                        continue;
                    }
                    Map<String, Object> schemas = new java.util.TreeMap<>();
                    events.forEach(
                            (event, schema) ->
                                    schemas.put(
                                            event,
                                            Map.of("$ref", "#/components/schemas/" + schema)));
                    stream.addExtension(EXTENSION, schemas);
                }
            }
        };
    }
}
