package io.recsys.monitor.sinks.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A live AWS emulator for integration tests: {@code moto_server} (PyPI {@code moto[server]}), which
 * speaks the real Kinesis, CloudWatch, SNS and SQS wire protocols on loopback.
 *
 * <p>With {@code MOTO_ENDPOINT} set, tests use that server. Otherwise the first test provisions a
 * Python virtual environment under the build's {@code target/moto-venv}, installs the pinned moto
 * into it, and starts one server per JVM on a free port. Anything that prevents this is a test
 * failure with a message that says what to install: an emulator that cannot start never turns into
 * a skipped test.
 */
public final class MotoServer {
    /** The moto release the tests were written against. */
    public static final String MOTO_REQUIREMENT = "moto[server]==5.2.5";

    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";

    private static MotoServer shared;

    private final URI endpoint;
    private final Process process;

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Forgets every resource the emulator holds, so that a test starts from nothing. */
    public void reset() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) new URL(endpoint + "/moto-api/reset").openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.getOutputStream().close();
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered " + c.getResponseCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reset moto at " + endpoint, e);
        }
    }

    private static MotoServer start() {
        String given = System.getenv("MOTO_ENDPOINT");
        if (given != null && !given.isEmpty()) {
            URI uri = URI.create(given);
            awaitReady(uri, Duration.ofSeconds(10), null);
            return new MotoServer(uri, null);
        }
        Path venv = repositoryRoot().resolve("target").resolve("moto-venv");
        Path motoServer = venv.resolve("bin").resolve("moto_server");
        provision(venv, motoServer);

        int port = freePort();
        URI uri = URI.create("http://127.0.0.1:" + port);
        Path log = venv.getParent().resolve("moto-server-" + port + ".log");
        Process process;
        try {
            process =
                    new ProcessBuilder(
                                    motoServer.toString(),
                                    "-H",
                                    "127.0.0.1",
                                    "-p",
                                    Integer.toString(port))
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot start " + motoServer + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "moto-server-stop"));
        awaitReady(uri, Duration.ofSeconds(60), process);
        return new MotoServer(uri, process);
    }

    /**
     * Creates the virtual environment and installs moto once; concurrent builds wait their turn.
     */
    private static void provision(Path venv, Path motoServer) {
        try {
            Files.createDirectories(venv.getParent());
            Path lockFile = venv.getParent().resolve("moto-venv.lock");
            try (FileChannel channel =
                            FileChannel.open(
                                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                Path marker = venv.resolve(".installed");
                if (Files.isExecutable(motoServer)
                        && Files.exists(marker)
                        && MOTO_REQUIREMENT.equals(Files.readString(marker).trim())) {
                    return;
                }
                String python = python();
                run(venv.getParent(), python, "-m", "venv", "--clear", venv.toString());
                run(
                        venv.getParent(),
                        venv.resolve("bin").resolve("python").toString(),
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                        MOTO_REQUIREMENT);
                Files.writeString(marker, MOTO_REQUIREMENT);
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot provision moto under " + venv + ": " + e.getMessage(), e);
        }
    }

    private static String python() {
        String configured = System.getenv("RECSYS_PYTHON");
        List<String> candidates = new ArrayList<>();
        if (configured != null && !configured.isEmpty()) {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("python");
        for (String candidate : candidates) {
            try {
                Process p =
                        new ProcessBuilder(candidate, "-c", "import venv, ensurepip")
                                .redirectErrorStream(true)
                                .start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not on PATH: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException(
                "The AWS integration tests need the moto_server emulator, and no Python 3 with venv"
                        + " and pip was found to install it. Install Python 3 (Debian/Ubuntu: apt-get"
                        + " install python3 python3-venv), or start moto_server yourself and set"
                        + " MOTO_ENDPOINT=http://127.0.0.1:5000, or use Docker: docker run -p 5000:5000"
                        + " motoserver/moto and set MOTO_ENDPOINT.");
    }

    private static void run(Path dir, String... command) throws IOException {
        Path log = dir.resolve("moto-provision.log");
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "Provisioning moto failed: '"
                                + String.join(" ", command)
                                + "' (see "
                                + log
                                + ": "
                                + tail(log)
                                + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while provisioning moto", e);
        }
    }

    private static void awaitReady(URI uri, Duration timeout, Process process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(
                        "moto_server exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpURLConnection c =
                        (HttpURLConnection) new URL(uri + "/moto-api/data.json").openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException(
                "moto_server at "
                        + uri
                        + " did not answer within "
                        + timeout.getSeconds()
                        + " s"
                        + (last == null ? "" : ": " + last.getMessage()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory holding the Maven wrapper, found from the working directory upwards. */
    private static Path repositoryRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(".mvn")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return dir;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "no log";
        }
    }

    @Override
    public String toString() {
        return "MotoServer{" + endpoint + (process == null ? ", external" : "") + "}";
    }
}
