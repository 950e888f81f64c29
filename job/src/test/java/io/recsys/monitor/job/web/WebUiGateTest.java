package io.recsys.monitor.job.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate against a stand-in for Flink's REST endpoint that records what reaches it. */
class WebUiGateTest {
    private final List<String> reached = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer upstream;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        upstream.createContext(
                "/",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    reached.add(
                            exchange.getRequestMethod()
                                    + " "
                                    + exchange.getRequestURI()
                                    + " "
                                    + new String(body, StandardCharsets.UTF_8));
                    byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                });
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    private HttpResponse<String> send(WebUiGate gate, String method, String path, String body)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gate.port() + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private WebUiGate gate(boolean submit, boolean cancel) throws IOException {
        return WebUiGate.start(
                "127.0.0.1",
                0,
                upstream.getAddress().getPort(),
                new WebUiAccess(submit, cancel, "127.0.0.1"));
    }

    @Test
    void passesReadsOnWithTheirQueryAndDropsTheCrossOriginGrant() throws Exception {
        try (WebUiGate gate = gate(false, false)) {
            HttpResponse<String> response = send(gate, "GET", "/jobs/1/metrics?get=a%2Cb", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"ok\":true}");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(reached).containsExactly("GET /jobs/1/metrics?get=a%2Cb ");
        }
    }

    @Test
    void refusedRequestsNeverReachFlink() throws Exception {
        try (WebUiGate gate = gate(false, false)) {
            HttpResponse<String> cancel = send(gate, "PATCH", "/jobs/1?mode=cancel", "");
            HttpResponse<String> upload = send(gate, "POST", "/jars/upload", "jar bytes");
            HttpResponse<String> shutdown = send(gate, "DELETE", "/cluster", null);

            assertThat(cancel.statusCode()).isEqualTo(403);
            assertThat(cancel.body()).contains("job.web-cancel=true");
            assertThat(upload.statusCode()).isEqualTo(403);
            assertThat(upload.body()).contains("job.web-submit=true");
            assertThat(shutdown.statusCode()).isEqualTo(403);
            assertThat(reached).isEmpty();
        }
    }

    @Test
    void whatAnOptionAllowsIsPassedOnWithItsBody() throws Exception {
        try (WebUiGate gate = gate(false, true)) {
            HttpResponse<String> stop = send(gate, "POST", "/jobs/1/stop", "{\"drain\":false}");

            assertThat(stop.statusCode()).isEqualTo(200);
            assertThat(reached).containsExactly("POST /jobs/1/stop {\"drain\":false}");
        }
    }

    @Test
    void answers503WhileFlinkIsNotListening() throws Exception {
        int port = upstream.getAddress().getPort();
        upstream.stop(0);
        try (WebUiGate gate =
                WebUiGate.start("127.0.0.1", 0, port, new WebUiAccess(false, false, "127.0.0.1"))) {
            HttpResponse<String> response = send(gate, "GET", "/config", null);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("not answering");
        }
    }

    @Test
    void aReasonQuotingAHostileHostStaysValidJson() {
        assertThat(WebUiGate.jsonText("a\"b\\c\u001b[2J\ud800"))
                .isEqualTo("a\\\"b\\\\c\\u001b[2J\\ud800");
    }
}
