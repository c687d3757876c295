package io.lethe.certificate;

import java.util.Iterator;
import java.util.Map;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;

/** A certificate for people: one printable page with every field and the signature to check. */
final class CertificateHtml {

    private CertificateHtml() {}

    static String render(CertificateService.Certificate certificate) {
        JsonNode p = certificate.payload();
        StringBuilder rows = new StringBuilder();
        row(rows, "Manufacturer", p.at("/media/manufacturer"));
        row(rows, "Model", p.at("/media/model"));
        row(rows, "Serial number", p.at("/media/serialNumber"));
        row(rows, "Media type", p.at("/media/type"));
        row(rows, "Media source (host)", p.at("/mediaSource/hostName"));
        row(rows, "Sanitization description", p.at("/sanitization/category"));
        row(rows, "Method used", p.at("/sanitization/description"));
        row(
                rows,
                "Tool",
                text(p.at("/sanitization/tool/name"))
                        + " "
                        + text(p.at("/sanitization/tool/version"))
                        + " ("
                        + text(p.at("/sanitization/tool/backend"))
                        + " backend)");
        row(rows, "Verification method", p.at("/verification/method"));
        row(
                rows,
                "Verification result",
                text(p.at("/verification/result")) + ": " + text(p.at("/verification/detail")));
        row(rows, "Post-sanitization destination", p.at("/destination"));
        row(rows, "Requested by", p.at("/requestedBy"));
        row(rows, "Requested at", p.at("/requestedAt"));
        row(rows, "Completed at", p.at("/completedAt"));
        row(
                rows,
                "CPU cache invalidation",
                text(p.at("/cacheInvalidation/startedAt"))
                        + " — "
                        + text(p.at("/cacheInvalidation/evidence")));
        row(
                rows,
                "Closing audit record",
                text(p.at("/audit/recordId"))
                        + ", content hash "
                        + text(p.at("/audit/contentHash")));
        row(rows, "Operation", p.at("/operationId"));
        row(rows, "Signing key id", certificate.kid());
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Certificate of Sanitization %s</title>
                <style>
                  body { font-family: Georgia, serif; max-width: 48em; margin: 2em auto; color: #111; }
                  h1 { font-size: 1.5em; border-bottom: 2px solid #111; padding-bottom: .3em; }
                  table { border-collapse: collapse; width: 100%%; }
                  th { text-align: left; width: 16em; vertical-align: top; padding: .3em .6em .3em 0; }
                  td { padding: .3em 0; }
                  tr { border-bottom: 1px solid #ccc; }
                  .simulated { border: 4px solid #b00; color: #b00; font-weight: bold; font-size: 1.3em; padding: .6em; }
                  .jws { font-family: monospace; font-size: .7em; word-break: break-all; margin-top: 2em; }
                  @media print { body { margin: 0; } .jws { font-size: .6em; } }
                </style></head><body>
                %s<h1>Certificate of Sanitization</h1>
                <p>NIST SP 800-88 Rev. 1, section 4.8. Signed with Ed25519; verify the JWS below with the public key
                published at <code>/api/v1/certificates/signing-key</code>.</p>
                <table>%s</table>
                <p class="jws">%s</p>
                </body></html>
                """
                .formatted(
                        HtmlUtils.htmlEscape(visible(text(p.at("/media/serialNumber")))),
                        simulatedBanner(p),
                        rows,
                        HtmlUtils.htmlEscape(certificate.jws()));
    }

    private static String simulatedBanner(JsonNode payload) {
        return payload.path("simulated").asBoolean(false)
                ? "<p class=\"simulated\">SIMULATED: no memory device was erased. This certificate records a run against "
                        + "Lethe's simulated backend and is no evidence of sanitization.</p>\n"
                : "";
    }

    private static void row(StringBuilder rows, String label, Object value) {
        String text = value instanceof JsonNode node ? text(node) : String.valueOf(value);
        rows.append("<tr><th>")
                .append(HtmlUtils.htmlEscape(label))
                .append("</th><td>")
                .append(HtmlUtils.htmlEscape(visible(text)))
                .append("</td></tr>");
    }

    /**
     * Drops bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E/F, U+061C): a serial or
     * reason holding them would render on the page in another order than it was signed in.
     */
    static String visible(String text) {
        return text.replaceAll("[\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C]", "");
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "—";
        }
        if (node.isObject()) {
            StringBuilder joined = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                joined.append(e.getKey())
                        .append('=')
                        .append(e.getValue().asString())
                        .append(it.hasNext() ? ", " : "");
            }
            return joined.toString();
        }
        return node.asString();
    }
}
