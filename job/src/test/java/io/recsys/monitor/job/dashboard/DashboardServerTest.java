package io.recsys.monitor.job.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.job.sink.LocalOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardServerTest {
    @TempDir Path outputDir;

    private DashboardServer server;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(
                outputDir.resolve(LocalOutputs.METRICS_FILE),
                "{\"metric\":\"CTR\",\"dimensions\":{},\"timestamp\":\"2026-01-01T01:00:00Z\","
                        + "\"value\":3.1,\"unit\":\"Percent\"}\n");
        Files.writeString(outputDir.resolve("secret.txt"), "not for the page");
        server =
                DashboardServer.start(
                        "127.0.0.1", 0, new RunOutputs(outputDir, AlarmCatalog.defaults()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesThePageItsScriptsAndTheData() throws IOException {
        assertThat(get("/").body).contains("<script src=\"dashboard.js\">");
        assertThat(get("/dashboard.js").status).isEqualTo(200);
        Response echarts = get("/echarts.min.js");
        assertThat(echarts.status).isEqualTo(200);
        assertThat(echarts.body).contains("Apache");
        Response data = get("/data.json");
        assertThat(data.status).isEqualTo(200);
        assertThat(data.body).contains("\"records\":1").contains("\"CTR\"");
        // Unchanged since the records the page has: nothing to send.
        assertThat(get("/data.json?since=1").status).isEqualTo(204);
    }

    @Test
    void newCommittedLinesReachTheDataAtTheNextRequest() throws IOException {
        get("/data.json");
        Files.writeString(
                outputDir.resolve(LocalOutputs.ALERTS_FILE),
                "{\"alarm_name\":\"recommendation-low-ctr\",\"state\":\"ALARM\",\"severity\":\"critical\","
                        + "\"dimensions\":{},\"time\":\"2026-01-01T03:00:00Z\"}\n"
                        // A line not yet complete is not read.
                        + "{\"alarm_name\":\"half");
        Response data = get("/data.json?since=1");
        assertThat(data.status).isEqualTo(200);
        assertThat(data.body).contains("\"records\":2").contains("recommendation-low-ctr");
    }

    @Test
    void servesNoFileByItsPath() throws IOException {
        for (String path :
                new String[] {
                    "/secret.txt",
                    "/metrics.jsonl",
                    "/../secret.txt",
                    "/%2e%2e/secret.txt",
                    "/dashboard.js/../secret.txt",
                    "/io/recsys/monitor/job/dashboard/dashboard.js",
                    "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.js",
                    "//etc/passwd",
                    "/etc/passwd"
                }) {
            Response response = raw("GET " + path + " HTTP/1.1", "127.0.0.1");
            assertThat(response.status).as(path).isIn(403, 404, 400);
            assertThat(response.body).as(path).doesNotContain("not for the page");
        }
    }

    @Test
    void readsOnlyAndRefusesAForeignHost() throws IOException {
        assertThat(raw("POST /data.json HTTP/1.1", "127.0.0.1").status).isIn(403, 405);
        assertThat(raw("DELETE / HTTP/1.1", "127.0.0.1").status).isIn(403, 405);
        // DNS rebinding: a page of evil.example re-pointed at 127.0.0.1.
        assertThat(raw("GET /data.json HTTP/1.1", "evil.example").status).isEqualTo(403);
    }

    @Test
    void listensOnTheLoopbackAddressOnly() throws IOException {
        InetAddress other = null;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address.getAddress().length == 4) {
                    other = address;
                }
            }
        }
        if (other != null) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(other, server.port()), 2000);
                throw new AssertionError("the dashboard answered on " + other);
            } catch (IOException expected) {
                // refused: nothing listens there
            }
        }
        assertThat(get("/").status).isEqualTo(200);
    }

    private Response get(String path) throws IOException {
        HttpURLConnection c =
                (HttpURLConnection)
                        new URL("http://127.0.0.1:" + server.port() + path).openConnection();
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Response(status, body);
    }

    /** A request written as it is, so that no client normalises its path. */
    private Response raw(String requestLine, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    (requestLine
                                    + "\r\nHost: "
                                    + host
                                    + ":"
                                    + server.port()
                                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String text =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyStart = text.indexOf("\r\n\r\n");
            return new Response(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
        }
    }

    private static final class Response {
        final int status;
        final String body;

        Response(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }
}
