package io.recsys.monitor.job.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local web UI's front door: listens where the user asked ({@code job.bind-address}, {@code
 * job.web-ui-port}) and passes to Flink's REST endpoint, which listens on 127.0.0.1 only, what
 * {@link WebUiAccess} allows. Refused requests get 403 with Flink's error form ({@code
 * {"errors":[...]}}) and a reason that names the option to change.
 *
 * <p>Responses lose Flink's {@code Access-Control-Allow-*} headers (which allow every origin), so
 * that a web page on another site cannot read the job's pages from a browser on this machine; the
 * UI itself is served from the same origin and does not need them.
 */
public final class WebUiGate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebUiGate.class);

    /** Request headers worth passing on; the HTTP client sets the others itself. */
    private static final Set<String> FORWARDED_REQUEST_HEADERS =
            Set.of(
                    "accept",
                    "accept-encoding",
                    "accept-language",
                    "cache-control",
                    "content-type",
                    "if-modified-since",
                    "if-none-match");

    /** Response headers not passed back: hop-by-hop, set by the server, or cross-origin grants. */
    private static final Set<String> DROPPED_RESPONSE_HEADERS =
            Set.of("connection", "content-length", "transfer-encoding", "keep-alive", ":status");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final WebUiAccess access;
    private final URI upstream;

    private WebUiGate(
            HttpServer server,
            ExecutorService executor,
            WebUiAccess access,
            URI upstream,
            SSLContext tls) {
        this.server = server;
        this.executor = executor;
        this.access = access;
        this.upstream = upstream;
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(executor);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    /**
     * Starts the gate on {@code bindAddress:port} (port 0: any free port) in front of the REST
     * endpoint at {@code http://127.0.0.1:upstreamPort}.
     */
    public static WebUiGate start(
            String bindAddress, int port, int upstreamPort, WebUiAccess access) throws IOException {
        return start(bindAddress, port, upstreamPort, access, null);
    }

    /**
     * Starts the gate in front of the REST endpoint at {@code 127.0.0.1:upstreamPort}, over TLS
     * with {@code tls} (holding the client certificate the endpoint requires) unless it is null.
     */
    public static WebUiGate start(
            String bindAddress, int port, int upstreamPort, WebUiAccess access, SSLContext tls)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread t = new Thread(r, "web-ui-gate-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        WebUiGate gate =
                new WebUiGate(
                        server,
                        executor,
                        access,
                        URI.create(
                                (tls == null ? "http" : "https") + "://127.0.0.1:" + upstreamPort),
                        tls);
        server.setExecutor(executor);
        server.createContext("/", gate::handle);
        server.start();
        return gate;
    }

    /** The port the gate listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            WebUiAccess.Decision decision =
                    access.decide(method, uri, exchange.getRequestHeaders().getFirst("Host"));
            if (!decision.allowed()) {
                LOG.info(
                        "event=web_request_refused method={} path=\"{}\" reason=\"{}\"",
                        method,
                        uri.getRawPath(),
                        decision.reason());
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                sendError(exchange, 403, decision.reason());
                return;
            }
            forward(exchange, method, uri);
        } finally {
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange, String method, URI uri) throws IOException {
        String target =
                uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request =
                // Appended, never resolved: the decision was made on this very path.
                HttpRequest.newBuilder(URI.create(upstream + target))
                        .timeout(Duration.ofMinutes(2));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (FORWARDED_REQUEST_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : header.getValue()) {
                    request.header(header.getKey(), value);
                }
            }
        }
        boolean hasBody =
                !method.equalsIgnoreCase("GET")
                        && !method.equalsIgnoreCase("HEAD")
                        && !method.equalsIgnoreCase("DELETE");
        InputStream requestBody = exchange.getRequestBody();
        request.method(
                method,
                hasBody
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> requestBody)
                        : HttpRequest.BodyPublishers.noBody());
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpTimeoutException | SSLException e) {
            sendError(exchange, 503, "the Flink REST endpoint is not answering yet");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(exchange, 503, "interrupted");
            return;
        }
        Headers headers = exchange.getResponseHeaders();
        response.headers()
                .map()
                .forEach(
                        (name, values) -> {
                            String lower = name.toLowerCase(Locale.ROOT);
                            if (!DROPPED_RESPONSE_HEADERS.contains(lower)
                                    && !lower.startsWith("access-control-")) {
                                headers.put(name, values);
                            }
                        });
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            boolean empty = method.equalsIgnoreCase("HEAD") || status == 204 || status == 304;
            exchange.sendResponseHeaders(status, empty ? -1 : 0);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    body.transferTo(out);
                }
            }
        }
    }

    private static void sendError(HttpExchange exchange, int status, String reason)
            throws IOException {
        byte[] body =
                ("{\"errors\":[\"" + jsonText(reason) + "\"]}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** {@code text} as the inside of a JSON string (a reason may quote a request's Host header). */
    static String jsonText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
