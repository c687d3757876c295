package io.lethe.agent;

import io.lethe.agent.AgentDevices.Dev;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Erases by method, following the kernel's rules before it is asked (so refusals are clear): no
 * erase while the memdev's endpoint has committed decoders (EBUSY), no sanitize while a passphrase
 * is set, no sanitize where {@code security/sanitize} is missing. Each erase is recorded under its
 * ticket; sanitize and overwrite run on in the device and are followed through the security state,
 * the others are done when the kernel's write returns.
 */
@Component
class AgentErases {

    private static final Logger log = LoggerFactory.getLogger(AgentErases.class);
    private static final Set<String> METHODS =
            Set.of("sanitize", "secure-erase", "passphrase-erase", "overwrite");

    private final AgentDevices devices;
    private final CxlBus cxl;
    private final NdBus nd;
    private final AgentSecurity security;
    private final AgentState state;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> starting = ConcurrentHashMap.newKeySet();

    AgentErases(
            AgentDevices devices, CxlBus cxl, NdBus nd, AgentSecurity security, AgentState state) {
        this.devices = devices;
        this.cxl = cxl;
        this.nd = nd;
        this.security = security;
        this.state = state;
    }

    AgentWire.EraseStatus start(String serial, AgentWire.EraseRequest request) {
        checkTicket(request.ticket());
        if (request.method() == null || !METHODS.contains(request.method())) {
            throw AgentProblem.badRequest("method must be one of " + METHODS);
        }
        synchronized (this) {
            if (state.ticket(request.ticket()).isPresent() || starting.contains(request.ticket())) {
                return status(request.ticket());
            }
            starting.add(request.ticket());
        }
        // A secure erase's write returns when the device is done: other erases and status questions
        // must not wait for it.
        try {
            Dev dev = devices.require(serial);
            checkKind(dev, request.method());
            if (dev.memdev()) {
                int committed = cxl.decodersCommitted(dev.name());
                if (committed != 0) {
                    throw AgentProblem.busy(
                            dev.name()
                                    + " ("
                                    + serial
                                    + "): its endpoint has "
                                    + committed
                                    + " committed decoder(s); reset the region before erasing (EBUSY)");
                }
            } else {
                // drivers/nvdimm/security.c security_erase(), security_overwrite(): -EBUSY while
                // nvdimm->busy, that is while an enabled nd region maps the DIMM.
                nd.activeRegionOf(dev.nmem())
                        .ifPresent(
                                r -> {
                                    throw AgentProblem.busy(
                                            dev.name()
                                                    + " ("
                                                    + serial
                                                    + ") is in enabled "
                                                    + NdBus.REGION_PREFIX
                                                    + r
                                                    + "; reset the region before erasing (EBUSY)");
                                });
            }
            String startedAt = clock.instant().toString();
            String inDoubt = null;
            boolean synchronous =
                    switch (request.method()) {
                        case "sanitize" -> {
                            sanitize(dev);
                            yield false;
                        }
                        case "secure-erase" -> {
                            refuseWhilePassphraseSet(dev, "secure erase");
                            inDoubt = secureErase(dev);
                            yield true;
                        }
                        case "passphrase-erase" -> {
                            security.passphraseErase(
                                    dev,
                                    request.passphrase(),
                                    Boolean.TRUE.equals(request.master()));
                            yield true;
                        }
                        default -> {
                            security.overwrite(dev, request.passphrase());
                            yield false;
                        }
                    };
            state.save(
                    new AgentState.Ticket(
                            request.ticket(),
                            serial,
                            request.method(),
                            startedAt,
                            synchronous ? clock.instant().toString() : null,
                            inDoubt));
            log.info(
                    "{} of {} ({}) {} under ticket {}",
                    request.method(),
                    dev.name(),
                    serial,
                    synchronous ? "completed" : "started",
                    request.ticket());
        } finally {
            starting.remove(request.ticket());
        }
        return status(request.ticket());
    }

    synchronized AgentWire.EraseStatus status(String ticket) {
        checkTicket(ticket);
        if (starting.contains(ticket)) {
            return new AgentWire.EraseStatus(
                    ticket, "running", null, null, null, "the kernel is carrying out the erase");
        }
        var found = state.ticket(ticket);
        if (found.isEmpty()) {
            return new AgentWire.EraseStatus(ticket, "not-started", null, null, null, null);
        }
        AgentState.Ticket t = found.get();
        if (t.failure() != null) {
            return new AgentWire.EraseStatus(
                    ticket,
                    "failed",
                    null,
                    Instant.parse(t.startedAt()),
                    t.finishedAt() == null ? null : Instant.parse(t.finishedAt()),
                    t.failure());
        }
        if (t.finishedAt() == null) {
            String raw = devices.rawState(devices.require(t.serial()));
            if (raw.equals("sanitize") || raw.equals("overwrite")) {
                return new AgentWire.EraseStatus(
                        ticket,
                        "running",
                        null,
                        Instant.parse(t.startedAt()),
                        null,
                        t.method() + " in progress (security state " + raw + ")");
            }
            // Seen done now: never earlier than it really ended, so an invalidation after it is
            // after the erase.
            t = t.finished(clock.instant().toString());
            state.save(t);
        }
        return new AgentWire.EraseStatus(
                ticket,
                "completed",
                100,
                Instant.parse(t.startedAt()),
                Instant.parse(t.finishedAt()),
                t.method() + " completed");
    }

    /**
     * Writes {@code security/erase}; answers why the erase is in doubt, or null when the kernel
     * said it completed. A device that runs secure erase in the background gets -ETIMEDOUT at once
     * (drivers/cxl/pci.c {@code __cxl_pci_mbox_send_cmd()} waits poll_count times, and
     * drivers/cxl/core/mbox.c {@code __cxl_mem_sanitize()} gives secure erase none; Debian
     * 6.12.118) while it goes on erasing: nothing tells when it ends, so the erase is reported
     * failed and in doubt, never completed.
     */
    private String secureErase(Dev dev) {
        try {
            write(dev, "security/erase", "secure erase");
            return null;
        } catch (AgentProblem p) {
            if (p.errno() != SysfsError.Errno.ETIMEDOUT) {
                throw p;
            }
            return "secure erase of "
                    + dev.serial()
                    + " in doubt: the kernel stopped waiting (ETIMEDOUT; it does not wait for a"
                    + " secure erase the device runs in the background) and the device may still be"
                    + " erasing; nothing reports its end. Treat the device as not erased: sanitize it,"
                    + " or erase it again once it answers";
        }
    }

    private void sanitize(Dev dev) {
        if (!cxl.has(dev.name(), "security/sanitize")) {
            throw AgentProblem.unsupported(
                    dev.name()
                            + " has no security/sanitize: the kernel or device does not support sanitize");
        }
        refuseWhilePassphraseSet(dev, "sanitize");
        write(dev, "security/sanitize", "sanitize");
    }

    /**
     * Checked before writing, with the kernel's own answer: drivers/cxl/core/mbox.c {@code
     * __cxl_mem_sanitize()} refuses sanitize and secure erase with -EINVAL while a user passphrase
     * is set, locked or not; drivers/cxl/core/mbox.c {@code cxl_mem_sanitize()} (Debian 6.12.118)
     * answers -EBUSY for a memdev without an endpoint (the committed-decoder case is checked by the
     * caller).
     */
    private void refuseWhilePassphraseSet(Dev dev, String what) {
        String current = devices.rawState(dev);
        if (!current.equals("disabled")) {
            throw AgentProblem.refused(
                    dev.name()
                            + ": the kernel refuses "
                            + what
                            + " while a user passphrase is set"
                            + " (security state "
                            + current
                            + ", EINVAL); use passphrase-erase",
                    SysfsError.Errno.EINVAL);
        }
        if (cxl.endpointOf(dev.name()).isEmpty()) {
            throw AgentProblem.busy(
                    dev.name() + " has no endpoint port: the kernel refuses " + what + " (EBUSY)");
        }
    }

    private void write(Dev dev, String attribute, String what) {
        if (!cxl.has(dev.name(), attribute)) {
            throw AgentProblem.unsupported(
                    dev.name() + " has no " + attribute + ": " + what + " is not supported");
        }
        try {
            cxl.write(dev.name(), attribute, "1");
        } catch (SysfsError e) {
            throw AgentProblem.of(e, what + " of " + dev.name());
        }
    }

    private static void checkKind(Dev dev, String method) {
        boolean fits =
                switch (method) {
                    case "sanitize", "secure-erase" -> dev.memdev();
                    case "overwrite" -> !dev.memdev();
                    default -> true;
                };
        if (!fits) {
            throw AgentProblem.badRequest(method + " does not apply to a " + dev.kind());
        }
    }

    private static void checkTicket(String ticket) {
        if (ticket == null || !ticket.matches("[A-Za-z0-9._-]{1,64}") || ticket.startsWith(".")) {
            throw AgentProblem.badRequest(
                    "ticket must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }
}
