package io.recsys.monitor.job.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.recsys.monitor.job.web.WebUiAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard of a local run: the page, its two scripts and the data object, read from the
 * run's committed output files when the page asks. It serves those four names and nothing else (no
 * file is looked up by a requested path), reads only (GET and HEAD), and, like the web UI, refuses
 * a foreign Host (DNS rebinding). It runs no thread of its own between requests: a run nobody
 * watches pays nothing for it.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    /** The thread that answers requests (reads the files, builds the data object). */
    public static final String THREAD_NAME = "dashboard-server";

    private static final Map<String, String> TYPES =
            Map.of(
                    DashboardPage.PAGE, "text/html; charset=utf-8",
                    DashboardPage.SCRIPT, "text/javascript; charset=utf-8",
                    DashboardPage.ECHARTS, "text/javascript; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService executor;

    private DashboardServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving {@code outputs} on {@code bindAddress} and {@code port} (0: a free one). */
    public static DashboardServer start(String bindAddress, int port, RunOutputs outputs)
            throws IOException {
        HttpServer server =
                HttpServer.create(
                        new InetSocketAddress(InetAddress.getByName(bindAddress), port), 16);
        WebUiAccess access = new WebUiAccess(false, false, bindAddress);
        server.createContext("/", exchange -> handle(exchange, access, outputs));
        ExecutorService executor =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, THREAD_NAME);
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.start();
        return new DashboardServer(server, executor);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, WebUiAccess access, RunOutputs outputs)
            throws IOException {
        try {
            String method = exchange.getRequestMethod();
            WebUiAccess.Decision decision =
                    access.decide(
                            method,
                            exchange.getRequestURI(),
                            exchange.getRequestHeaders().getFirst("Host"));
            if (!decision.allowed()) {
                send(exchange, 403, "text/plain; charset=utf-8", bytes(decision.reason()));
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", bytes("read-only"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String name = path.equals("/") ? DashboardPage.PAGE : path.substring(1);
            if (name.equals("data.json")) {
                byte[] data = outputs.refresh();
                String since = query(exchange, "since");
                if (since != null && since.equals(String.valueOf(outputs.records()))) {
                    send(exchange, 204, null, new byte[0]);
                } else {
                    send(exchange, 200, "application/json", data);
                }
                return;
            }
            String type = TYPES.get(name);
            byte[] body = type == null ? null : DashboardPage.resource(name);
            if (body == null) {
                send(exchange, 404, "text/plain; charset=utf-8", bytes("not found"));
                return;
            }
            send(exchange, 200, type, body);
        } catch (IOException e) {
            // The page went away, or the run is ending and the server stops under a request.
            LOG.debug("event=dashboard_request_aborted", e);
        } catch (RuntimeException e) {
            LOG.warn("event=dashboard_request_failed", e);
        } finally {
            exchange.close();
        }
    }

    private static String query(HttpExchange exchange, String key) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders()
                .set(
                        "Content-Security-Policy",
                        "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (status == 204) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
