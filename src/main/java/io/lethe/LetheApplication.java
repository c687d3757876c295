package io.lethe;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Lethe: orchestrates unlock, secure erase and decommissioning of memory devices with a
 * mandatory, verified CPU cache invalidation before any region is committed again.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LetheApplication {

    public static void main(String[] args) {
        SpringApplication.run(LetheApplication.class, args);
    }
}
