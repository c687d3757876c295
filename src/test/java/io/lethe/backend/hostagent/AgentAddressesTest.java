package io.lethe.backend.hostagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent target policy at call time, against the addresses a URL's host resolves to. Literal
 * forms are resolved by the JVM's own resolver, the one the HTTP client connects through (the
 * oracle for what a form means); DNS names by a stand-in resolver, as the test controls no DNS.
 */
class AgentAddressesTest {

    static final AgentTargets DEFAULT = new AgentTargets(true, List.of());

    static AgentAddresses withDns(AgentTargets targets, String name, String address) {
        return new AgentAddresses(
                targets,
                host ->
                        host.equals(name)
                                ? new InetAddress[] {InetAddress.getByName(address)}
                                : InetAddress.getAllByName(host));
    }

    @Test
    void everyFormOfALinkLocalAddressIsRefusedAtCallTime() throws UnknownHostException {
        AgentAddresses addresses = new AgentAddresses(DEFAULT, InetAddress::getAllByName);
        for (String url :
                List.of(
                        "http://169.254.169.254/",
                        "http://2852039166/",
                        "http://[::ffff:169.254.169.254]/",
                        "http://[::ffff:a9fe:a9fe]/",
                        "http://[::169.254.169.254]/",
                        "http://[64:ff9b::169.254.169.254]/",
                        "http://[64:ff9b:1::a9fe:a9fe]/",
                        "http://[2002:a9fe:a9fe::1]/",
                        "http://[2001:0:4136:e378:8000:63bf:5601:5601]/",
                        "http://[fe80::1]/",
                        "http://[fe80::1%25eth0]/")) {
            assertThat(addresses.refusal(url)).as(url).isNotNull();
        }
    }

    @Test
    void aNameThatResolvesToALinkLocalAddressIsRefusedUnlessItsBlockIsAllowed()
            throws UnknownHostException {
        assertThat(
                        withDns(DEFAULT, "agent.example", "169.254.169.254")
                                .refusal("https://agent.example:7443"))
                .contains("resolves to the link-local address 169.254.169.254");
        assertThat(
                        withDns(DEFAULT, "agent.example", "10.1.2.3")
                                .refusal("https://agent.example:7443"))
                .isNull();
        AgentTargets allowed = new AgentTargets(true, List.of("agent.example", "169.254.0.0/16"));
        assertThat(
                        withDns(allowed, "agent.example", "169.254.10.10")
                                .refusal("https://agent.example:7443"))
                .isNull();
    }

    @Test
    void ordinaryAgentAddressesPass() throws UnknownHostException {
        AgentAddresses addresses = new AgentAddresses(DEFAULT, InetAddress::getAllByName);
        for (String url :
                List.of(
                        "http://127.0.0.1:7443/",
                        "http://[::1]:7443/",
                        "http://10.0.0.5/",
                        "http://[2001:db8::5]/",
                        "http://[::ffff:10.0.0.5]/",
                        "http://[2002:0a00:0005::1]/")) {
            assertThat(addresses.refusal(url)).as(url).isNull();
        }
    }
}
