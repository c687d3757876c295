package io.lethe.web;

import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts {@link ApiContract} puts into the document: the problem schema and responses, the
 * Location header, JSON first among media types, null among a nullable enum's values.
 */
final class ApiResponseParts {

    private ApiResponseParts() {}

    /**
     * Lists {@code application/json} first among a response's media types. Generated clients take
     * the first one's schema as the method's return type and send the media types as their Accept
     * header in this order, which is the order the service chooses by: JSON first keeps the typed
     * answer the default one.
     */
    static void jsonFirst(ApiResponse response) {
        Content content = response.getContent();
        if (content == null
                || !content.containsKey("application/json")
                || content.keySet().iterator().next().equals("application/json")) {
            return;
        }
        Content ordered = new Content();
        ordered.addMediaType("application/json", content.get("application/json"));
        content.forEach((type, media) -> ordered.putIfAbsent(type, media));
        response.setContent(ordered);
    }

    /**
     * A nullable property with an enum lists {@code null} among its values too: in JSON Schema
     * 2020-12 (OpenAPI 3.1) the enum alone would refuse the null that the type allows.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static void nullInNullableEnums(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        for (Schema property : schema.getProperties().values()) {
            if (property.getTypes() != null
                    && property.getTypes().contains("null")
                    && property.getEnum() != null
                    && !property.getEnum().contains(null)) {
                List values = new ArrayList(property.getEnum());
                values.add(null);
                property.setEnum(values);
            }
        }
    }

    static Header location() {
        return new Header()
                .description("Where the new resource can be read")
                .schema(new StringSchema().format("uri-reference"));
    }

    static ApiResponse problem(String description) {
        return new ApiResponse()
                .description(description)
                .content(
                        new Content()
                                .addMediaType(
                                        ApiContract.PROBLEM,
                                        new MediaType()
                                                .schema(
                                                        new Schema<>()
                                                                .$ref(
                                                                        "#/components/schemas/Problem"))));
    }

    @SuppressWarnings("rawtypes")
    static Schema problemSchema() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty(
                "field", new StringSchema().description("The request field or parameter"));
        error.addProperty("message", new StringSchema().description("What is wrong with it"));
        ObjectSchema problem = new ObjectSchema();
        problem.description(
                "A problem detail (RFC 9457). Never carries a stack trace or a secret.");
        problem.addProperty(
                "type", new StringSchema().format("uri").example("urn:lethe:problem:device-busy"));
        problem.addProperty("title", new StringSchema());
        problem.addProperty("status", new IntegerSchema().format("int32"));
        problem.addProperty("detail", new StringSchema());
        problem.addProperty("instance", new StringSchema().format("uri-reference"));
        problem.addProperty(
                "code",
                new StringSchema()
                        .description("A stable slug to switch on (the type's last part)"));
        problem.addProperty(
                "errors", new ArraySchema().items(error).description("Each invalid field, on 400"));
        problem.setRequired(List.of("type", "title", "status"));
        return problem;
    }
}
