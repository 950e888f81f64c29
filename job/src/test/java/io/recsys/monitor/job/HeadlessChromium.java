package io.recsys.monitor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Chromium without a screen, as the browser tests drive it: a page's DOM after its scripts ran, and
 * a screenshot. CI installs it ({@code .ci/run}); when it is missing the test fails, unless {@code
 * -Ddashboard.browser.skip=true} says that this machine has none on purpose.
 */
final class HeadlessChromium {
    /** Virtual time the page gets to load, draw and poll before the DOM is taken. */
    private static final int BUDGET_MS = 15_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;
    private final Path profiles;

    private HeadlessChromium(Path binary, Path profiles) {
        this.binary = binary;
        this.profiles = profiles;
    }

    /** The browser of this machine; fails (or, when told so, skips) the test without one. */
    static HeadlessChromium find(Path scratch) {
        String configured = System.getProperty("chromium.binary", "");
        List<String> candidates = new ArrayList<>();
        if (!configured.isEmpty()) {
            candidates.add(configured);
        }
        candidates.addAll(
                List.of(
                        "/usr/bin/chromium",
                        "/usr/bin/chromium-browser",
                        "/usr/bin/google-chrome"));
        for (String candidate : candidates) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return new HeadlessChromium(Paths.get(candidate), scratch);
            }
        }
        if (Boolean.getBoolean("dashboard.browser.skip")) {
            Assumptions.abort("no Chromium here and -Ddashboard.browser.skip=true");
        }
        throw new AssertionError(
                "no Chromium found (tried "
                        + candidates
                        + "); install it (apt-get install chromium, as .ci/run does), name it with"
                        + " -Dchromium.binary=PATH, or skip the browser tests with"
                        + " -Ddashboard.browser.skip=true");
    }

    /** The page's DOM after its scripts ran, as HTML. */
    String dom(String url) throws IOException, InterruptedException {
        return new String(run(List.of("--dump-dom", url)), StandardCharsets.UTF_8);
    }

    /**
     * What the dashboard page says it drew (the JSON it writes into its hidden "drawn" element,
     * read from its charts' options).
     */
    JsonNode drawn(String url) throws IOException, InterruptedException {
        String dom = dom(url);
        int start = dom.indexOf("<pre id=\"drawn\"");
        if (start < 0) {
            throw new AssertionError("no drawn element in the page:\n" + head(dom));
        }
        start = dom.indexOf('>', start) + 1;
        int end = dom.indexOf("</pre>", start);
        String text =
                dom.substring(start, end)
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&amp;", "&");
        if (text.isBlank()) {
            throw new AssertionError("the page drew nothing:\n" + head(dom));
        }
        return JSON.readTree(text);
    }

    /** A PNG of the page, {@code height} pixels tall and 1400 wide. */
    void screenshot(String url, Path png, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(
                List.of(
                        "--hide-scrollbars",
                        "--window-size=1400," + height,
                        "--screenshot=" + png.toAbsolutePath(),
                        url));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("Chromium wrote no screenshot to " + png);
        }
    }

    private byte[] run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(profiles, "chromium-profile");
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(
                List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--virtual-time-budget=" + BUDGET_MS));
        command.addAll(args);
        Path out = profile.resolve("stdout");
        Path err = profile.resolve("stderr");
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 120 s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(
                    "Chromium exited with "
                            + process.exitValue()
                            + ": "
                            + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readAllBytes(out);
    }

    private static String head(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }
}
