package io.lethe.security;

import java.nio.file.Path;
import java.util.Base64;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Checks the settings a start depends on once the configuration is read and before anything is
 * created (no database, no data file, no key file): the bootstrap token, the secrets keys, and an
 * outside key on a database that is not the embedded H2. A refusal is one line on standard error
 * that names the setting and what a good value looks like, and the process exits with status 2,
 * with no stack trace. Registered by {@code LetheApplication.main} only: a test context must not
 * end its JVM, and the same rules are enforced again inside the context ({@link BootstrapTokens},
 * {@link StartupChecks}, {@link SecretCipher}).
 */
public final class ConfigurationRefusal
        implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    /** The exit status of a start refused for its configuration. */
    public static final int EXIT_STATUS = 2;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String refusal = refusal(event.getEnvironment());
        if (refusal != null) {
            System.err.println("lethe: refused to start: " + refusal);
            System.err.flush();
            System.exit(EXIT_STATUS);
        }
    }

    /** Why these settings are refused, or null. */
    static String refusal(Environment env) {
        String bootstrap = env.getProperty("lethe.security.bootstrap-token");
        if (bootstrap != null && !bootstrap.isBlank()) {
            String refused = BootstrapTokens.refusal(bootstrap);
            if (refused != null) {
                return refused;
            }
        }
        String key = env.getProperty("lethe.secrets.key");
        if (key != null && !key.isBlank() && !aKey(key)) {
            return "LETHE_SECRETS_KEY (lethe.secrets.key) is not base64 of 32 bytes; make one with"
                    + " openssl rand -base64 32";
        }
        String previous = env.getProperty("lethe.secrets.previous-keys");
        if (previous != null) {
            for (String one : previous.split(",")) {
                if (!one.isBlank() && !aKey(one)) {
                    return "LETHE_SECRETS_PREVIOUS_KEYS (lethe.secrets.previous-keys) holds a value"
                            + " that is not base64 of 32 bytes; give the earlier keys, comma-separated,"
                            + " each as LETHE_SECRETS_KEY was";
                }
            }
        }
        String url = env.getProperty("spring.datasource.url", "");
        if (!url.isBlank() && !StartupChecks.embeddedH2(url) && !keyFromOutside(env, key)) {
            return "spring.datasource.url names "
                    + url.replaceAll("[?;].*", "")
                    + ", not an embedded H2, and the secrets key would be a file in the data"
                    + " directory; give it from outside: LETHE_SECRETS_KEY (base64 of 32 bytes,"
                    + " e.g. from a secret store, made with openssl rand -base64 32) or"
                    + " lethe.secrets.key-file outside the data directory";
        }
        return null;
    }

    private static boolean aKey(String value) {
        try {
            return Base64.getDecoder().decode(value.strip()).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean keyFromOutside(Environment env, String key) {
        if (key != null && !key.isBlank()) {
            return true;
        }
        Path dataDir =
                Path.of(env.getProperty("lethe.data-dir", "./data")).toAbsolutePath().normalize();
        String keyFile = env.getProperty("lethe.secrets.key-file");
        Path file =
                Path.of(keyFile == null ? "./data/secrets.key" : keyFile)
                        .toAbsolutePath()
                        .normalize();
        return !file.startsWith(dataDir);
    }
}
