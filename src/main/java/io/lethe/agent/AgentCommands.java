package io.lethe.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's kernel-facing code without its web layer: each argument is one command, run in order,
 * and each answers one JSON line on standard output ({@code ok}, then the result or the problem the
 * HTTP agent would have answered). It serves where starting the web application costs too much,
 * such as the kernel test's emulated vCPU, and for checking a host by hand:
 *
 * <pre>java -cp lethe.jar -Dloader.main=io.lethe.agent.AgentCommands \
 *     org.springframework.boot.loader.launch.PropertiesLauncher --root=/ inventory "reset region0"
 * </pre>
 *
 * Commands: {@code inventory}, {@code device SERIAL}, {@code reset REGION FENCE}, {@code commit
 * REGION FENCE} (FENCE: the fencing token, see {@link RegionFences}), {@code write REGION SERIAL
 * TEXT}, {@code read REGION SERIAL LENGTH}, {@code erase SERIAL METHOD TICKET [PASSPHRASE]
 * [--master]}, {@code await TICKET SECONDS} (polls the erase until it is done or the seconds are
 * over), {@code invalidate}, {@code keynames SERIAL} (the names an unlock loads the device's key
 * under), and {@code key DESCRIPTION}, which loads a throwaway key the way an unlock would, reports
 * what the kernel shows of it in {@code /proc/keys}, and removes it; {@code hostkey SERIAL} does
 * the same with the device's sealed key from the host's key directory; {@code unlock SERIAL
 * PASSPHRASE} and {@code unlock SERIAL --host-key} unlock as the HTTP agent does and answer the
 * device. A command {@code -} reads further commands from standard input, one a line, until it
 * ends.
 */
public final class AgentCommands {

    private final AgentDevices devices;
    private final AgentErases erases;
    private final AgentRegions regions;
    private final Invalidations invalidations;
    private final Keyring keyring;
    private final Sysfs sysfs;
    private final NdBus nd;
    private final HostKeys hostKeys;
    private final AgentSecurity security;

    AgentCommands(AgentProperties properties, Sysfs sysfs, Keyring keyring) {
        this.sysfs = sysfs;
        this.keyring = keyring;
        CxlBus cxl = new CxlBus(sysfs);
        NdBus nd = new NdBus(sysfs);
        this.nd = nd;
        AgentState state = new AgentState(properties);
        this.invalidations = new Invalidations(sysfs);
        this.devices = new AgentDevices(cxl, nd, state, properties, invalidations);
        this.hostKeys = new HostKeys(properties, sysfs);
        this.security = new AgentSecurity(devices, nd, keyring, state, hostKeys);
        this.erases = new AgentErases(devices, cxl, nd, security, state);
        this.regions =
                new AgentRegions(
                        cxl,
                        nd,
                        new DaxDevices(sysfs),
                        new MemoryBlocks(sysfs),
                        properties,
                        new RegionFences(properties),
                        invalidations);
    }

    public static void main(String[] args) throws IOException {
        String root = "/";
        String stateDir = null;
        Duration deviceWait = Duration.ofSeconds(30);
        String hostKeyDir = null;
        List<String> hostKeySerials = List.of();
        int first = 0;
        for (; first < args.length && args[first].startsWith("--"); first++) {
            if (args[first].startsWith("--root=")) {
                root = args[first].substring("--root=".length());
            } else if (args[first].startsWith("--state-dir=")) {
                stateDir = args[first].substring("--state-dir=".length());
            } else if (args[first].startsWith("--host-key-dir=")) {
                hostKeyDir = args[first].substring("--host-key-dir=".length());
            } else if (args[first].startsWith("--host-key-serials=")) {
                hostKeySerials =
                        List.of(args[first].substring("--host-key-serials=".length()).split(","));
            } else if (args[first].startsWith("--device-wait=")) {
                deviceWait =
                        Duration.ofSeconds(
                                Long.parseLong(args[first].substring("--device-wait=".length())));
            }
        }
        AgentProperties properties =
                new AgentProperties(
                        root, null, stateDir, null, deviceWait, hostKeyDir, hostKeySerials);
        AgentCommands commands =
                new AgentCommands(
                        properties, new FileSysfs(Path.of(properties.root())), new KeyctlKeyring());
        JsonMapper json = JsonMapper.builder().build();
        for (String command : Arrays.copyOfRange(args, first, args.length)) {
            if (command.equals("-")) {
                // one command a line until the end of input: a script can act between commands
                // without paying for a JVM each time
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        System.out.println(json.writeValueAsString(commands.run(line)));
                        System.out.flush();
                    }
                }
                continue;
            }
            System.out.println(json.writeValueAsString(commands.run(command)));
            System.out.flush();
        }
    }

    Map<String, Object> run(String command) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", command);
        List<String> words = List.of(command.trim().split("\\s+"));
        try {
            Object result =
                    switch (words.get(0)) {
                        case "inventory" -> devices.inventory();
                        case "device" -> devices.read(words.get(1));
                        case "reset" ->
                                regions.decode(words.get(1), false, Long.parseLong(words.get(2)));
                        case "commit" ->
                                regions.decode(words.get(1), true, Long.parseLong(words.get(2)));
                        case "write" -> {
                            byte[] bytes = words.get(3).getBytes(StandardCharsets.UTF_8);
                            regions.write(words.get(1), words.get(2), bytes);
                            yield Map.of("written", bytes.length);
                        }
                        case "read" ->
                                Map.of(
                                        "text",
                                        new String(
                                                regions.read(
                                                        words.get(1),
                                                        words.get(2),
                                                        Integer.parseInt(words.get(3))),
                                                StandardCharsets.ISO_8859_1));
                        case "erase" -> {
                            boolean master = words.get(words.size() - 1).equals("--master");
                            int given = master ? words.size() - 1 : words.size();
                            yield erases.start(
                                    words.get(1),
                                    new AgentWire.EraseRequest(
                                            words.get(2),
                                            master,
                                            given > 4 ? words.get(4) : null,
                                            words.get(3)));
                        }
                        case "await" ->
                                await(
                                        words.get(1),
                                        Duration.ofSeconds(Long.parseLong(words.get(2))));
                        case "invalidate" -> invalidations.invalidate();
                        case "key" -> key(words.get(1));
                        case "keynames" -> keyNames(words.get(1));
                        case "hostkey" -> hostKey(words.get(1));
                        case "unlock" -> {
                            boolean hostKey = words.get(2).equals("--host-key");
                            security.unlock(
                                    words.get(1),
                                    new AgentWire.UnlockRequest(
                                            hostKey ? null : words.get(2),
                                            hostKey ? AgentWire.UnlockRequest.HOST_KEY : null));
                            yield devices.read(words.get(1));
                        }
                        default -> throw AgentProblem.badRequest("unknown command " + words.get(0));
                    };
            out.put("ok", true);
            out.put("result", result);
        } catch (AgentProblem p) {
            out.put("ok", false);
            out.put("status", p.status().value());
            out.put("code", p.code());
            out.put("errno", p.errno() == null ? null : p.errno().name());
            out.put("detail", p.getMessage());
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            out.put("ok", false);
            out.put("code", "bad-request");
            out.put("detail", "missing or malformed argument in '" + command + "'");
        }
        return out;
    }

    /**
     * Asks for the erase's status until it is no longer running or the limit is over, and answers
     * the last status with the seconds it took (a sanitize runs on in the device).
     */
    private Map<String, Object> await(String ticket, Duration limit) {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        AgentWire.EraseStatus status = erases.status(ticket);
        while (status.state().equals("running") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            status = erases.status(ticket);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("seconds", (System.nanoTime() - started) / 1e9);
        return out;
    }

    /** The names an unlock of this device loads its key under, and the cxl/id they come from. */
    private Map<String, Object> keyNames(String serial) {
        AgentDevices.Dev dev = devices.require(serial);
        if (dev.nmem() == null) {
            throw AgentProblem.unsupported(serial + " has no nvdimm bridge: no key names");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nmem", dev.nmem());
        out.put(
                "cxlId",
                sysfs.exists(NdBus.DEVICES + dev.nmem() + "/cxl/id")
                        ? sysfs.read(NdBus.DEVICES + dev.nmem() + "/cxl/id").strip()
                        : null);
        out.put("names", nd.keyDescriptions(dev.nmem()));
        return out;
    }

    /**
     * Loads the device's sealed key from the host's key directory the way an unlock with the host's
     * key does, under the first name the kernel looks it up by, reports what {@code /proc/keys}
     * shows of it, and removes it.
     */
    private Map<String, Object> hostKey(String serial) {
        AgentDevices.Dev dev = devices.require(serial);
        if (dev.nmem() == null) {
            throw AgentProblem.unsupported(serial + " has no nvdimm bridge: no key names");
        }
        List<String> names = nd.keyDescriptions(dev.nmem());
        return shownThenRemoved(keyring.load(names.get(0), hostKeys.blobFor(serial, names)));
    }

    /** What /proc/keys shows of the key while it is loaded and after it is removed. */
    private Map<String, Object> shownThenRemoved(long id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keyId", id);
        out.put("whileLoaded", procKey(id));
        keyring.remove(id);
        out.put("afterRemove", procKey(id));
        return out;
    }

    private Map<String, Object> key(String description) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String passphrase = HexFormat.of().formatHex(random, 0, 16);
        return shownThenRemoved(keyring.add(description, passphrase));
    }

    /**
     * The key's line in /proc/keys (id in hex, flags, ..., type, description), or null when it is
     * gone: absent, or flagged revoked (R), dead (D) or invalidated (i) and waiting for the
     * collector.
     */
    private String procKey(long id) {
        String hex = String.format("%08x", id);
        return sysfs.read("proc/keys")
                .lines()
                .filter(l -> l.startsWith(hex + " "))
                .filter(
                        l -> {
                            String flags = l.split("\\s+")[1];
                            return flags.indexOf('R') < 0
                                    && flags.indexOf('D') < 0
                                    && flags.indexOf('i') < 0;
                        })
                .findFirst()
                .map(String::strip)
                .orElse(null);
    }
}
