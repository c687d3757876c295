package io.lethe.host;

import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.jsontype.NamedType;

/**
 * The registration body's backend settings, read as the record of the backend its {@code type}
 * names: each built-in backend's {@link BackendKind#specType()} under its type's wire name.
 */
@Configuration(proxyBeanMethods = false)
class BackendSpecTypes {

    @Bean
    JsonMapperBuilderCustomizer backendSpecSubtypes(List<BackendKind> kinds) {
        return builder ->
                kinds.forEach(
                        k ->
                                builder.registerSubtypes(
                                        new NamedType(k.specType(), k.type().wire())));
    }
}
