package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local job as a user starts it, probed as an attacker on the network would: every port the
 * process listens on is a loopback address, and the web UI refuses jar upload, job submission,
 * cancellation and cluster shutdown while the job keeps running. The job runs in a child JVM so
 * that its listening sockets can be told from the test's own (Linux's /proc).
 */
@EnabledOnOs(OS.LINUX)
class LocalWebUiSecurityITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    @TempDir Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process job;

    @AfterEach
    void stopJob() throws InterruptedException {
        if (job != null) {
            job.destroy();
            if (!job.waitFor(30, TimeUnit.SECONDS)) {
                job.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void listensOnLoopbackOnlyAndRefusesToRunCodeOrStopTheJob() throws Exception {
        int port = freePort();
        int dashboardPort = freePort();
        job = startJob(port, dashboardPort);
        String base = "http://127.0.0.1:" + port;
        String jobId = awaitRunningJob(base);

        List<InetAddress> listening = listeningAddresses(job.pid());
        assertThat(listening)
                .as("the web UI, the dashboard, Flink's REST endpoint and its blob server")
                .hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(address -> assertThat(address.isLoopbackAddress()).isTrue());

        JsonNode features = JSON.readTree(send("GET", base + "/config").body()).get("features");
        assertThat(features.get("web-submit").asBoolean()).isFalse();
        assertThat(features.get("web-cancel").asBoolean()).isFalse();

        assertRefused(send("POST", base + "/jars/upload"), "job.web-submit=true");
        assertRefused(send("POST", base + "/jobs"), "job.web-submit=true");
        assertRefused(send("PATCH", base + "/jobs/" + jobId + "?mode=cancel"), "job.web-cancel");
        assertRefused(send("GET", base + "/v1/jobs/" + jobId + "/yarn-cancel"), "job.web-cancel");
        assertRefused(send("POST", base + "/jobs/" + jobId + "/stop"), "job.web-cancel");
        assertRefused(send("DELETE", base + "/cluster"), "read-only");
        assertThat(statusWithHost(port, "attacker.example")).isEqualTo(403);

        // Behind the gate, Flink's own REST endpoint serves only the gate (mutual TLS): asked
        // directly, in plain HTTP or in TLS without the gate's certificate, it changes nothing.
        List<Integer> others = listeningPorts(job.pid());
        others.remove(Integer.valueOf(port));
        // The dashboard reads only, and only its own page and data.
        assertThat(others).contains(dashboardPort);
        others.remove(Integer.valueOf(dashboardPort));
        assertThat(rawStatus(dashboardPort, "PATCH /jobs/" + jobId + "?mode=cancel"))
                .isEqualTo(403);
        assertThat(rawStatus(dashboardPort, "GET /jobs/" + jobId)).isEqualTo(404);
        assertThat(others).isNotEmpty();
        int restEndpoints = 0;
        for (int other : others) {
            int status = rawStatus(other, "PATCH /jobs/" + jobId + "?mode=cancel");
            assertThat(status / 100).as("plain PATCH to port " + other).isNotEqualTo(2);
            if (status > 0) {
                restEndpoints++;
                assertThatThrownBy(
                                () ->
                                        untrustingClient()
                                                .send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                "https://127.0.0.1:"
                                                                                        + other
                                                                                        + "/jobs/"
                                                                                        + jobId
                                                                                        + "?mode=cancel"))
                                                                .method(
                                                                        "PATCH",
                                                                        HttpRequest.BodyPublishers
                                                                                .noBody())
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString()))
                        .as("TLS without the gate's certificate to port " + other)
                        .isInstanceOf(IOException.class);
            }
        }
        assertThat(restEndpoints).as("Flink's REST endpoint among " + others).isEqualTo(1);

        JsonNode details = JSON.readTree(send("GET", base + "/jobs/" + jobId).body());
        assertThat(details.get("state").asText()).isEqualTo("RUNNING");
        assertThat(job.isAlive()).isTrue();
    }

    private Process startJob(int port, int dashboardPort) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        for (String module :
                new String[] {
                    "java.lang", "java.util", "java.lang.reflect", "java.io", "java.net"
                }) {
            command.add("--add-opens=java.base/" + module + "=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RecsysMonitor.class.getName());
        command.addAll(
                List.of(
                        "run",
                        "--output",
                        dir.resolve("output").toString(),
                        "--set",
                        "job.web-ui-port=" + port,
                        "--set",
                        "dashboard.port=" + dashboardPort,
                        "--set",
                        "job.parallelism=1"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("job.log").toFile())
                .start();
    }

    /** Polls the job list until the job runs; the JVM and the cluster take seconds to start. */
    private String awaitRunningJob(String base) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(job.isAlive()).as(Files.readString(dir.resolve("job.log"))).isTrue();
            HttpResponse<String> response = sendQuietly(base + "/jobs");
            if (response != null && response.statusCode() == 200) {
                for (JsonNode entry : JSON.readTree(response.body()).get("jobs")) {
                    if (entry.get("status").asText().equals("RUNNING")) {
                        return entry.get("id").asText();
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "no running job within "
                        + START_TIMEOUT
                        + ": "
                        + Files.readString(dir.resolve("job.log")));
    }

    private HttpResponse<String> sendQuietly(String url) throws InterruptedException {
        try {
            return send("GET", url);
        } catch (IOException e) {
            return null;
        }
    }

    private HttpResponse<String> send(String method, String url)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains(reason);
    }

    /** A request as a page served from another DNS name that points at 127.0.0.1 would send. */
    private static int statusWithHost(int port, String host) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("GET /config HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** The status of a raw HTTP/1.1 request, or -1 when the port does not answer in HTTP. */
    private static int rawStatus(int port, String requestLine) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    (requestLine
                                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                                    + "Connection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine =
                    new BufferedReader(
                                    new InputStreamReader(
                                            socket.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
            if (statusLine == null || !statusLine.startsWith("HTTP/")) {
                return -1;
            }
            return Integer.parseInt(statusLine.split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A client that trusts any server but has no certificate of its own to present. */
    private static HttpClient untrustingClient() throws Exception {
        javax.net.ssl.TrustManager[] trustAll = {
            new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(
                        java.security.cert.X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(
                        java.security.cert.X509Certificate[] chain, String authType) {}

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }
        };
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
        context.init(null, trustAll, new java.security.SecureRandom());
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The local ports of every listening TCP socket of process {@code pid}. */
    static List<Integer> listeningPorts(long pid) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (String[] socket : listeningSockets(pid)) {
            ports.add(Integer.parseInt(socket[1], 16));
        }
        return ports;
    }

    /** The local addresses of every listening TCP socket of process {@code pid}. */
    static List<InetAddress> listeningAddresses(long pid) throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (String[] socket : listeningSockets(pid)) {
            addresses.add(address(socket[0]));
        }
        return addresses;
    }

    /** Hex address and hex port of every listening TCP socket of process {@code pid}. */
    private static List<String[]> listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Paths.get("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // Closed between the listing and the read.
                }
            }
        }
        List<String[]> sockets = new ArrayList<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            List<String> lines =
                    Files.readAllLines(Paths.get("/proc", Long.toString(pid), "net", table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                boolean listening = fields[3].equals("0A");
                if (listening && inodes.contains(fields[9])) {
                    sockets.add(fields[1].split(":"));
                }
            }
        }
        return sockets;
    }

    /** /proc/net/tcp's hex address: 32-bit words, each in the machine's (little-endian) order. */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
