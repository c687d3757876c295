package io.lethe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service closes the connection of a request it refused without reading its body (so that a
 * slow body holds no thread), and every answer after which it closes says so with {@code
 * Connection: close}: an HTTP/1.1 connection persists unless an answer carries that option (RFC
 * 9112, 9.3 and 9.6), and a client told nothing sends its next request down the closed connection
 * and gets no answer. Answers to requests whose body was read keep the connection open. Checked
 * over a raw socket, as the rule is about the bytes on the wire.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClosedConnectionsAreAnnouncedTest {

    private static final String HOST_JSON =
            "{\"name\":\"close-%s\",\"backend\":{\"type\":\"simulated-x86\"}}";

    @LocalServerPort int port;

    record Exchange(int status, boolean announcesClose, boolean closed) {}

    @Test
    void refusalsBeforeTheBodyWasReadAnnounceTheCloseAndOthersKeepTheConnection()
            throws IOException {
        String body = String.format(HOST_JSON, System.nanoTime());
        Exchange noToken = exchange("POST", null, "application/json", body);
        Exchange wrongToken = exchange("POST", "not-a-token", "application/json", body);
        Exchange wrongType = exchange("POST", Api.ADMIN_TOKEN, "text/plain", "name=x");
        for (Exchange refused : new Exchange[] {noToken, wrongToken, wrongType}) {
            assertThat(refused.status()).isIn(401, 415);
            assertThat(refused.closed()).as("closed after " + refused).isTrue();
            assertThat(refused.announcesClose()).as("announced in " + refused).isTrue();
        }
        assertThat(wrongType.status()).isEqualTo(415);

        Exchange created = exchange("POST", Api.ADMIN_TOKEN, "application/json", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.closed()).as("kept open after " + created).isFalse();
        assertThat(created.announcesClose()).isFalse();
        Exchange listed = exchange("GET", Api.ADMIN_TOKEN, null, null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.closed()).isFalse();
    }

    /**
     * One request on a new connection; the answer read to its end, then whether the server closed.
     */
    private Exchange exchange(String method, String token, String contentType, String body)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request =
                    new StringBuilder(method + " /api/v1/hosts HTTP/1.1\r\nHost: localhost\r\n");
            request.append("Accept: application/json\r\n");
            if (token != null) {
                request.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            if (body != null) {
                request.append("Content-Type: ").append(contentType).append("\r\n");
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();

            InputStream in = socket.getInputStream();
            String head = readHead(in).toLowerCase(Locale.ROOT);
            int status = Integer.parseInt(head.substring(9, 12));
            boolean announces = head.contains("\r\nconnection: close");
            int at = head.indexOf("\r\ncontent-length: ");
            if (head.contains("\r\ntransfer-encoding: chunked")) {
                readChunked(in);
            } else if (at >= 0) {
                in.readNBytes(
                        Integer.parseInt(
                                head.substring(at + 18, head.indexOf("\r\n", at + 2)).trim()));
            } else if (status != 204 && status != 304 && !method.equals("HEAD")) {
                // neither: the body ends where the server closes the connection (RFC 9112, 6.3)
                in.readAllBytes();
                return new Exchange(status, announces, true);
            }
            socket.setSoTimeout(2_000);
            boolean closed;
            try {
                closed = in.read() == -1;
            } catch (SocketTimeoutException open) {
                closed = false;
            } catch (IOException reset) {
                closed = true;
            }
            return new Exchange(status, announces, closed);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4
                    && bytes[n - 4] == '\r'
                    && bytes[n - 3] == '\n'
                    && bytes[n - 2] == '\r'
                    && bytes[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void readChunked(InputStream in) throws IOException {
        while (true) {
            String size = readLine(in);
            int length = Integer.parseInt(size.trim(), 16);
            in.readNBytes(length);
            readLine(in);
            if (length == 0) {
                return;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
