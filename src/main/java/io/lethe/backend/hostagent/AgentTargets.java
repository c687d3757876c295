package io.lethe.backend.hostagent;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where host agents may be: the orchestrator sends them its token and acts on their answers, so a
 * registration must not aim it at an arbitrary address.
 *
 * <ul>
 *   <li>{@code https} only, unless {@code lethe.host-agent.allow-plain-http} is true: over {@code
 *       http} the agent token travels in clear (tests that run agents on loopback set it).
 *   <li>Never a link-local address (169.254.0.0/16, fe80::/10), where clouds serve instance
 *       metadata, unless the allow-list names it.
 *   <li>With {@code lethe.host-agent.allowed-targets} set, only the host names (exact, or {@code
 *       *.suffix}) and CIDR blocks it lists. Host names are compared as written, not resolved: DNS
 *       may answer differently later, which is why an allow-list of names is only as good as the
 *       DNS.
 * </ul>
 *
 * @param allowPlainHttp accept {@code http://} agent URLs
 * @param allowedTargets host names, {@code *.domain} patterns and CIDR blocks agents may be at;
 *     empty for any https target but link-local ones
 */
@ConfigurationProperties("lethe.host-agent")
record AgentTargets(
        @DefaultValue("false") boolean allowPlainHttp, @DefaultValue List<String> allowedTargets) {

    /** Why this URL is refused, or null when it is accepted. */
    String refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowPlainHttp)) {
            return "must be https (the agent token would travel in clear; lethe.host-agent.allow-plain-http allows http)";
        }
        String host = uri.getHost();
        if (host == null || host.isBlank() || uri.getUserInfo() != null) {
            return "must name a host, without user information";
        }
        host = host.toLowerCase(Locale.ROOT);
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress address = literalAddress(literal);
        if (!allowedTargets.isEmpty()) {
            for (String allowed : allowedTargets) {
                if (matches(allowed.trim().toLowerCase(Locale.ROOT), literal, address)) {
                    return null;
                }
            }
            return "is not among lethe.host-agent.allowed-targets";
        }
        if (address != null && address.isLinkLocalAddress()) {
            return "is a link-local address (where instance metadata is served); list it in lethe.host-agent.allowed-targets if it is really an agent";
        }
        return null;
    }

    /** Whether a CIDR block of the allow-list contains the address. */
    boolean allowsBlockOf(InetAddress address) {
        return allowedTargets.stream()
                .map(a -> a.trim().toLowerCase(Locale.ROOT))
                .anyMatch(a -> a.contains("/") && inBlock(address, a));
    }

    private static boolean matches(String allowed, String host, InetAddress address) {
        if (allowed.contains("/")) {
            return address != null && inBlock(address, allowed);
        }
        if (allowed.startsWith("*.")) {
            return host.endsWith(allowed.substring(1));
        }
        return host.equals(allowed);
    }

    private static boolean inBlock(InetAddress address, String cidr) {
        String[] parts = cidr.split("/");
        InetAddress network = literalAddress(parts[0]);
        if (network == null || network.getAddress().length != address.getAddress().length) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (n[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The address a literal IPv4 or IPv6 host stands for, without any DNS lookup; null for a name.
     */
    private static InetAddress literalAddress(String host) {
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
