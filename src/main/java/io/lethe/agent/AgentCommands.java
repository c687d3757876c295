package io.lethe.agent;

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
 * TEXT}, {@code read REGION SERIAL LENGTH}, {@code erase SERIAL METHOD TICKET}, {@code invalidate},
 * {@code keynames SERIAL} (the names an unlock loads the device's key under), and {@code key
 * DESCRIPTION}, which loads a throwaway key the way an unlock would, reports what the kernel shows
 * of it in {@code /proc/keys}, and removes it.
 */
public final class AgentCommands {

    private final AgentDevices devices;
    private final AgentErases erases;
    private final AgentRegions regions;
    private final Invalidations invalidations;
    private final Keyring keyring;
    private final Sysfs sysfs;
    private final NdBus nd;

    AgentCommands(AgentProperties properties, Sysfs sysfs, Keyring keyring) {
        this.sysfs = sysfs;
        this.keyring = keyring;
        CxlBus cxl = new CxlBus(sysfs);
        NdBus nd = new NdBus(sysfs);
        this.nd = nd;
        AgentState state = new AgentState(properties);
        this.invalidations = new Invalidations(sysfs);
        this.devices = new AgentDevices(cxl, nd, state, properties, invalidations);
        this.erases =
                new AgentErases(
                        devices, cxl, nd, new AgentSecurity(devices, nd, keyring, state), state);
        this.regions =
                new AgentRegions(
                        cxl,
                        nd,
                        new DaxDevices(sysfs),
                        new MemoryBlocks(sysfs),
                        properties,
                        new RegionFences(properties));
    }

    public static void main(String[] args) {
        String root = "/";
        String stateDir = null;
        int first = 0;
        for (; first < args.length && args[first].startsWith("--"); first++) {
            if (args[first].startsWith("--root=")) {
                root = args[first].substring("--root=".length());
            } else if (args[first].startsWith("--state-dir=")) {
                stateDir = args[first].substring("--state-dir=".length());
            }
        }
        AgentProperties properties =
                new AgentProperties(root, null, stateDir, null, Duration.ofSeconds(30));
        AgentCommands commands =
                new AgentCommands(
                        properties, new FileSysfs(Path.of(properties.root())), new KeyctlKeyring());
        JsonMapper json = JsonMapper.builder().build();
        for (String command : Arrays.copyOfRange(args, first, args.length)) {
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
                        case "erase" ->
                                erases.start(
                                        words.get(1),
                                        new AgentWire.EraseRequest(
                                                words.get(2), false, null, words.get(3)));
                        case "invalidate" -> invalidations.invalidate();
                        case "key" -> key(words.get(1));
                        case "keynames" -> keyNames(words.get(1));
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

    private Map<String, Object> key(String description) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String passphrase = HexFormat.of().formatHex(random, 0, 16);
        long id = keyring.add(description, passphrase);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keyId", id);
        out.put("whileLoaded", procKey(id));
        keyring.remove(id);
        out.put("afterRemove", procKey(id));
        return out;
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
