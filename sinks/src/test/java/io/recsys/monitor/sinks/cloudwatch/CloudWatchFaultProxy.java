package io.recsys.monitor.sinks.cloudwatch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A loopback HTTP proxy in front of the emulator that answers chosen PutMetricData requests with a
 * CloudWatch error instead of forwarding them, so that tests see throttling, outages and refusals
 * the emulator never produces. Everything else is forwarded unchanged.
 *
 * <p>The AWS SDK 2.40 CloudWatch client speaks the AWS query protocol: form-encoded request bodies
 * (gzip-compressed above 10 KB, PutMetricData's request-compression trait) and XML error bodies
 * ({@code <ErrorResponse><Error><Code>...}), which is what {@link #error} writes.
 */
final class CloudWatchFaultProxy implements AutoCloseable {

    /**
     * Decides the answer to the {@code n}-th PutMetricData (1-based) with form body {@code body}.
     */
    @FunctionalInterface
    interface Rule {
        Optional<Fault> answer(int n, String body);
    }

    /** An error answer: HTTP status and a CloudWatch error code. */
    static final class Fault {
        final int status;
        final String code;
        final String message;

        Fault(int status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
        }
    }

    private static final Set<String> HOP_BY_HOP =
            Set.of(
                    "connection",
                    "content-length",
                    "expect",
                    "host",
                    "upgrade",
                    "keep-alive",
                    "transfer-encoding",
                    "te",
                    "trailer");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient http;
    private final URI target;
    private final Rule rule;
    private final AtomicInteger putMetricData = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();

    private CloudWatchFaultProxy(URI target, Rule rule) throws IOException {
        this.target = target;
        this.rule = rule;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static CloudWatchFaultProxy start(URI target, Rule rule) throws IOException {
        return new CloudWatchFaultProxy(target, rule);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** PutMetricData requests seen, answered or forwarded. */
    int putMetricDataRequests() {
        return putMetricData.get();
    }

    /** Requests answered with a fault. */
    int faultsInjected() {
        return faults.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String form = form(exchange, body);
            if (form.contains("Action=PutMetricData")) {
                int n = putMetricData.incrementAndGet();
                Optional<Fault> fault = rule.answer(n, form);
                if (fault.isPresent()) {
                    faults.incrementAndGet();
                    respond(exchange, fault.get().status, error(fault.get(), n), "text/xml");
                    return;
                }
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        } catch (RuntimeException | IOException e) {
            exchange.sendResponseHeaders(502, -1);
        } finally {
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                        .method(
                                exchange.getRequestMethod(),
                                HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : header.getValue()) {
                    request.header(header.getKey(), value);
                }
            }
        }
        HttpResponse<byte[]> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers()
                .map()
                .forEach(
                        (name, values) -> {
                            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                                exchange.getResponseHeaders().put(name, values);
                            }
                        });
        byte[] bytes = response.body();
        exchange.sendResponseHeaders(response.statusCode(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The decoded form body, inflating it when the SDK compressed it. */
    private static String form(HttpExchange exchange, byte[] body) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        byte[] plain = body;
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                plain = in.readAllBytes();
            }
        }
        return URLDecoder.decode(new String(plain, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** A CloudWatch error in the query protocol's XML form. */
    static byte[] error(Fault fault, int n) {
        String xml =
                "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
                        + "<Error><Type>"
                        + (fault.status >= 500 ? "Receiver" : "Sender")
                        + "</Type><Code>"
                        + fault.code
                        + "</Code><Message>"
                        + fault.message
                        + "</Message></Error>"
                        + "<RequestId>fault-proxy-"
                        + n
                        + "</RequestId></ErrorResponse>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, String type)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
