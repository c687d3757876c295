package io.lethe.cli;

import io.lethe.client.api.CertificatesApi;
import io.lethe.client.model.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lethe certificates}: an operation's certificate of sanitization, and the keys that sign
 * them.
 */
@Command(
        name = "certificates",
        description = "Certificates of sanitization and their signing keys",
        subcommands = {CertificatesCommand.Get.class, CertificatesCommand.Keys.class})
final class CertificatesCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "name a subcommand: get OPERATION or keys");
    }

    @Command(
            name = "certificate",
            description =
                    "The certificate of a succeeded erase or decommission "
                            + "(JSON with its JWS and payload, or --jws for the compact JWS alone)")
    static class Certificate extends Base {
        @Parameters(paramLabel = "OPERATION")
        String id;

        @Option(
                names = "--jws",
                description =
                        "Print the compact JWS alone (save it: lethe certificate OP --jws > cert.jws)")
        boolean jws;

        @Override
        public Integer call() {
            io.lethe.client.model.Certificate certificate =
                    server().call(() -> new CertificatesApi(server().client()).getCertificate(id));
            if (jws) {
                out().text(certificate.getJws());
            } else {
                out().one(certificate);
            }
            return Exit.SUCCEEDED;
        }
    }

    @Command(
            name = "get",
            description =
                    "The certificate of a succeeded erase or decommission (as lethe certificate)")
    static final class Get extends Certificate {}

    @Command(
            name = "keys",
            description = "The public signing keys, the active one first (or --pem: its PEM alone)")
    static final class Keys extends Base {
        @Option(
                names = "--pem",
                description =
                        "Print the active key's PEM alone (save it: lethe certificates keys --pem > key.pem)")
        boolean pem;

        @Override
        public Integer call() {
            SigningKeys keys =
                    server().call(() -> new CertificatesApi(server().client()).getSigningKeys());
            if (pem) {
                if (keys.getKeys() == null || keys.getKeys().isEmpty()) {
                    throw new Failures.Invalid(
                            "the server has no signing key yet (one is made with the first certificate)");
                }
                out().text(keys.getKeys().get(0).getPem().strip());
            } else {
                out().one(keys);
            }
            return Exit.SUCCEEDED;
        }
    }
}
