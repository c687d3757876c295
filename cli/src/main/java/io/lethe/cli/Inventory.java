package io.lethe.cli;

import io.lethe.client.api.DevicesApi;
import io.lethe.client.api.HostsApi;
import io.lethe.client.api.RegionsApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Read commands for hosts, devices and regions. */
final class Inventory {

    private Inventory() {}

    /** --limit and --cursor of a keyset page. */
    abstract static class Listing extends Base {
        @Option(names = "--limit", description = "Items per page, 1 to 1000 (default 100)")
        Integer limit;

        @Option(names = "--cursor", description = "The nextCursor of the previous page")
        String cursor;
    }

    @Command(
            name = "hosts",
            description = "List hosts, or show one",
            subcommands = {Hosts.Get.class})
    static final class Hosts extends Listing {
        @Override
        public Integer call() {
            HostsApi hosts = new HostsApi(server().client());
            out().page(
                            server().call(() -> hosts.listHosts(limit, cursor)),
                            List.of(
                                    "id",
                                    "name",
                                    "labels",
                                    "capabilities.cacheInvalidation",
                                    "createdAt"));
            return Exit.SUCCEEDED;
        }

        @Command(name = "get", description = "Show one host")
        static final class Get extends Base {
            @Parameters(paramLabel = "HOST")
            String id;

            @Override
            public Integer call() {
                out().one(server().call(() -> new HostsApi(server().client()).getHost(id)));
                return Exit.SUCCEEDED;
            }
        }
    }

    @Command(
            name = "devices",
            description = "List devices, or show one",
            subcommands = {Devices.Get.class, Devices.ResetAttempts.class})
    static final class Devices extends Listing {
        @Option(names = "--host", description = "Only this host's devices")
        String host;

        @Option(names = "--status", description = "available, busy, quarantined or decommissioned")
        String status;

        @Option(names = "--serial", description = "The device with this serial number")
        String serial;

        @Override
        public Integer call() {
            DevicesApi devices = new DevicesApi(server().client());
            out().page(
                            server().call(
                                            () ->
                                                    devices.listDevices(
                                                            host, status, serial, limit, cursor)),
                            List.of("id", "serial", "kind", "status", "securityState", "hostId"));
            return Exit.SUCCEEDED;
        }

        @Command(name = "get", description = "Show one device")
        static final class Get extends Base {
            @Parameters(paramLabel = "DEVICE")
            String id;

            @Override
            public Integer call() {
                out().one(server().call(() -> new DevicesApi(server().client()).getDevice(id)));
                return Exit.SUCCEEDED;
            }
        }

        @Command(
                name = "reset-attempts",
                description = {
                    "After a power cycle, reset the device's estimated count of wrong passphrases"
                            + " (admin; audited).",
                    "A host agent counts every ambiguous refusal of a CXL device as a wrong passphrase."
                })
        static final class ResetAttempts extends Base {
            @Parameters(paramLabel = "DEVICE")
            String id;

            @Override
            public Integer call() {
                out().one(
                                server().call(
                                                () ->
                                                        new DevicesApi(server().client())
                                                                .resetUnlockAttemptEstimate(id)));
                return Exit.SUCCEEDED;
            }
        }
    }

    @Command(
            name = "regions",
            description = "List regions, show one, or declare one",
            subcommands = {Regions.Get.class, DeclareRegionCommand.class})
    static final class Regions extends Listing {
        @Option(names = "--host", description = "Only this host's regions")
        String host;

        @Option(names = "--state", description = "attached or detached")
        String state;

        @Override
        public Integer call() {
            RegionsApi regions = new RegionsApi(server().client());
            out().page(
                            server().call(() -> regions.listRegions(host, state, limit, cursor)),
                            List.of(
                                    "id",
                                    "name",
                                    "state",
                                    "hostId",
                                    "deviceIds",
                                    "attachOperationId"));
            return Exit.SUCCEEDED;
        }

        @Command(name = "get", description = "Show one region")
        static final class Get extends Base {
            @Parameters(paramLabel = "REGION")
            String id;

            @Override
            public Integer call() {
                out().one(server().call(() -> new RegionsApi(server().client()).getRegion(id)));
                return Exit.SUCCEEDED;
            }
        }
    }
}
