package io.lethe.common;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    /** One clock for every timestamp Lethe writes, so tests can pin it. */
    @Bean
    Clock clock() {
        // Microseconds: what both H2 and PostgreSQL keep, so a value reads back as it was written.
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
    }
}
