package io.lethe.web;

import io.lethe.common.ContainerRefusals;
import io.lethe.common.UnreadableAcceptHeader;
import io.lethe.common.WireEnum;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    /**
     * Query parameters such as {@code ?status=passphrase-limit} use the same wire names as JSON.
     */
    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverterFactory(new WireEnumConverters());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new BlankEnumParameters());
    }

    /** The container's refusals are the service's problems; refused unread, a connection closes. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> containerRefusals() {
        return ContainerRefusals.customizer(ServiceProblemReport.class);
    }

    /** An Accept header that is not a list of media types is a 400 problem. */
    @Bean
    UnreadableAcceptHeader unreadableAcceptHeader() {
        return new UnreadableAcceptHeader(ApiExceptionHandler.TYPE_PREFIX);
    }

    @Bean
    OpenAPI letheOpenApi() {
        return new OpenAPI()
                .components(
                        new Components()
                                .addSecuritySchemes(
                                        "bearer",
                                        new SecurityScheme()
                                                .type(SecurityScheme.Type.HTTP)
                                                .scheme("bearer")
                                                .description(
                                                        "An API token: Authorization: Bearer <token>")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                // relative, so the document is the same whatever host and port serve it (and can be
                // committed)
                .servers(
                        List.of(
                                new Server()
                                        .url("/")
                                        .description(
                                                "the Lethe service that serves this document")))
                .info(
                        new Info()
                                .title("Lethe API")
                                .version("v1")
                                .description(
                                        "Unlock, secure erase and decommission memory devices (CXL memory expanders, NVDIMMs) "
                                                + "across a fleet, with a mandatory CPU cache invalidation before any region is committed again.")
                                .license(
                                        new License()
                                                .name("Proprietary")
                                                .identifier("LicenseRef-Proprietary")));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class WireEnumConverters implements ConverterFactory<String, Enum> {
        @Override
        public <T extends Enum> Converter<String, T> getConverter(Class<T> targetType) {
            if (!WireEnum.class.isAssignableFrom(targetType)) {
                return source -> (T) Enum.valueOf(targetType, source.trim());
            }
            return source -> (T) WireEnum.require((Class) targetType, source.trim());
        }
    }
}
