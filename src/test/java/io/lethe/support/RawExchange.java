package io.lethe.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request on a new raw connection, its answer read to its end by the framing the
 * answer declares (RFC 9112, 6.3), then whether the server closed the connection: the bytes on the
 * wire, for rules a client library would hide (a {@code Connection: close} it honours silently).
 *
 * @param status the answer's status code
 * @param announcesClose whether the answer carries {@code Connection: close}
 * @param closed whether the server closed the connection after the answer
 */
public record RawExchange(int status, boolean announcesClose, boolean closed) {

    /**
     * An API request accepting JSON, with a bearer {@code token} and a {@code body} of {@code
     * contentType} where not null.
     */
    public static RawExchange api(
            int port, String method, String path, String token, String contentType, String body)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            headers.put("Content-Type", contentType);
        }
        return send(port, method, path, headers, body);
    }

    /** Sends {@code method path} with {@code headers} and {@code body} (null for none). */
    public static RawExchange send(
            int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", "localhost");
            all.putAll(headers);
            if (body != null) {
                all.put("Content-Length", Integer.toString(content.length));
            }
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            all.forEach(
                    (name, value) ->
                            request.append(name).append(": ").append(value).append("\r\n"));
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
                return new RawExchange(status, announces, true);
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
            return new RawExchange(status, announces, closed);
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
