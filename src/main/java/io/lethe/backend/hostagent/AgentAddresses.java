package io.lethe.backend.hostagent;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The agent target policy ({@link AgentTargets}) applied again before every call to an agent, to
 * the addresses its host name resolves to now: a name registered while it pointed elsewhere, or a
 * literal in a form the registration check did not spell out, must not carry the agent token to a
 * link-local address (where clouds serve instance metadata). IPv4 addresses embedded in IPv6 ones
 * (IPv4-mapped and -compatible, NAT64 {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}, 6to4 {@code
 * 2002::/16}, Teredo {@code 2001::/32}) are judged as the IPv4 address they carry; zone ids are
 * refused outright.
 *
 * <p>The assumption: the JVM's resolver, which answers here, is the one the HTTP client connects
 * through a moment later, and the JVM caches its answers (30 s by default), so both see the same
 * addresses. An attacker who controls the name's DNS and answers differently within that window is
 * not stopped by this check; an allow-list of CIDR blocks ({@code
 * lethe.host-agent.allowed-targets}) is the stronger setting.
 */
@Component
class AgentAddresses {

    /** Resolves a host name, as {@link InetAddress#getAllByName} does. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AgentTargets targets;
    private final Resolver resolver;

    @Autowired
    AgentAddresses(AgentTargets targets) {
        this(targets, InetAddress::getAllByName);
    }

    /** With another resolver, for tests. */
    AgentAddresses(AgentTargets targets, Resolver resolver) {
        this.targets = targets;
        this.resolver = resolver;
    }

    /**
     * Why the agent at {@code url} must not be called now, or null.
     *
     * @throws UnknownHostException when its host name does not resolve
     */
    String refusal(String url) throws UnknownHostException {
        String refused = targets.refusal(url);
        if (refused != null) {
            return refused;
        }
        String host = URI.create(url).getHost();
        if (host.contains("%")) {
            return "names an IPv6 zone id; give the agent's address without one";
        }
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        for (InetAddress address : resolver.resolve(name.toLowerCase(Locale.ROOT))) {
            if (linkLocal(address) && !targets.allowsBlockOf(address)) {
                return "resolves to the link-local address "
                        + address.getHostAddress()
                        + " (where instance metadata is served); list it in"
                        + " lethe.host-agent.allowed-targets if it is really an agent";
            }
        }
        return null;
    }

    /** Link-local itself, or an IPv6 address that carries a link-local IPv4 one. */
    static boolean linkLocal(InetAddress address) {
        if (address.isLinkLocalAddress()) {
            return true;
        }
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(address.getAddress());
            return embedded != null && (embedded[0] & 0xff) == 169 && (embedded[1] & 0xff) == 254;
        }
        return false;
    }

    /** The IPv4 address an IPv6 address carries in one of the standard forms, or null. */
    static byte[] embeddedIpv4(byte[] a) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= a[i] == 0;
        }
        if (zeros80
                && ((a[10] == (byte) 0xff && a[11] == (byte) 0xff) || (a[10] == 0 && a[11] == 0))) {
            return tail(a, 12); // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d
        }
        int w0 = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
        int w1 = ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            return tail(a, 12); // NAT64, well-known 64:ff9b::/96 and local-use 64:ff9b:1::/48
        }
        if (w0 == 0x2002) {
            return new byte[] {a[2], a[3], a[4], a[5]}; // 6to4
        }
        if (w0 == 0x2001 && w1 == 0x0000) {
            byte[] client = tail(a, 12); // Teredo: the client's address, inverted
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            return client;
        }
        return null;
    }

    private static byte[] tail(byte[] a, int from) {
        return new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]};
    }
}
