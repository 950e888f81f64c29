package io.recsys.monitor.job.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The dashboard's page and scripts, read from the jar: the page, its drawing script, and Apache
 * ECharts from its WebJar. The live server serves them as they are; a report inlines both scripts
 * and the data into the page, so that it opens offline with nothing fetched.
 */
public final class DashboardPage {
    public static final String PAGE = "dashboard.html";
    public static final String SCRIPT = "dashboard.js";
    public static final String ECHARTS = "echarts.min.js";

    /** How long the live page waits after an answer before it asks for the data again. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private static final String ECHARTS_RESOURCE =
            "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final String DATA_ELEMENT =
            "<script id=\"dashboard-data\" type=\"application/json\"></script>";

    /** Name served to the resource it is read from. */
    private static final Map<String, String> RESOURCES =
            Map.of(
                    PAGE, "/io/recsys/monitor/job/dashboard/" + PAGE,
                    SCRIPT, "/io/recsys/monitor/job/dashboard/" + SCRIPT,
                    ECHARTS, ECHARTS_RESOURCE);

    private DashboardPage() {}

    /** The bytes of a served resource by its name; null for any other name. */
    public static byte[] resource(String name) {
        String path = RESOURCES.get(name);
        if (path == null) {
            return null;
        }
        try (InputStream in = DashboardPage.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the dashboard resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The page with both scripts and {@code dataJson} inlined: a report that needs nothing else.
     * Every "&lt;" of the data becomes its JSON escape, so no text of a record (a dead letter's
     * reason, an alert's summary) can end or comment out the element.
     */
    public static String report(String dataJson) {
        String page = text(PAGE);
        page = inline(page, ECHARTS);
        page = inline(page, SCRIPT);
        return page.replace(
                DATA_ELEMENT,
                "<script id=\"dashboard-data\" type=\"application/json\">"
                        + dataJson.replace("<", "\\u003c")
                        + "</script>");
    }

    private static String inline(String page, String script) {
        String tag = "<script src=\"" + script + "\"></script>";
        if (!page.contains(tag)) {
            throw new IllegalStateException(PAGE + " does not load " + script);
        }
        return page.replace(tag, "<script>" + scriptSafe(text(script)) + "</script>");
    }

    /**
     * Text that cannot end the script element it is inlined in: "&lt;/" becomes "&lt;\/", the same
     * string to JavaScript and JSON.
     */
    static String scriptSafe(String text) {
        return text.replace("</", "<\\/");
    }

    private static String text(String name) {
        return new String(resource(name), StandardCharsets.UTF_8);
    }
}
