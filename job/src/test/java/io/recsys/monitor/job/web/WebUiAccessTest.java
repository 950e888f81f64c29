package io.recsys.monitor.job.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebUiAccessTest {
    private static final WebUiAccess CLOSED = new WebUiAccess(false, false, "127.0.0.1");
    private static final WebUiAccess OPEN = new WebUiAccess(true, true, "127.0.0.1");

    private static boolean allowed(WebUiAccess access, String method, String path) {
        return access.decide(method, URI.create(path), "127.0.0.1:8081").allowed();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, /config",
        "GET, /jobs/overview",
        "GET, /v1/jobs/0123/vertices/abcd/backpressure",
        "GET, /jobs/0123/savepoints/trigger-1",
        "GET, /jobmanager/logs",
        "HEAD, /",
        "get, /index.html"
    })
    void readingIsAlwaysAllowed(String method, String path) {
        assertThat(allowed(CLOSED, method, path)).isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "PATCH, /jobs/0123?mode=cancel",
        "PATCH, /v1/jobs/0123",
        "GET, /jobs/0123/yarn-cancel",
        "GET, /v1/jobs/0123/YARN-STOP",
        "GET, /jobs/0123/yarn%2Dcancel",
        "POST, /jobs/0123/stop",
        "POST, /jobs/0123/savepoints",
        "POST, /jobs//0123//savepoints"
    })
    void jobControlNeedsTheCancelOption(String method, String path) {
        WebUiAccess.Decision decision = CLOSED.decide(method, URI.create(path), "localhost:8081");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("job.web-cancel=true");
        assertThat(allowed(new WebUiAccess(false, true, "127.0.0.1"), method, path)).isTrue();
        assertThat(allowed(new WebUiAccess(true, false, "127.0.0.1"), method, path)).isFalse();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "POST, /jars/upload",
        "POST, /v1/jars/abc.jar/run?entry-class=Evil",
        "POST, /jars/abc.jar/plan",
        "DELETE, /jars/abc.jar",
        "POST, /jobs",
        "POST, /v1/jobs/"
    })
    void submittingCodeNeedsTheSubmitOption(String method, String path) {
        WebUiAccess.Decision decision = CLOSED.decide(method, URI.create(path), "[::1]:8081");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("job.web-submit=true");
        assertThat(allowed(new WebUiAccess(true, false, "127.0.0.1"), method, path)).isTrue();
        assertThat(allowed(new WebUiAccess(false, true, "127.0.0.1"), method, path)).isFalse();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "DELETE, /cluster",
        "PUT, /jobs/0123/resource-requirements",
        "POST, /jobs/0123/rescaling",
        "POST, /jobs/0123/checkpoints",
        "OPTIONS, /jobs/0123",
        "POST, /datasets/abc",
        "TRACE, /config",
        "GET, /jobs/0123/../../config",
        "GET, /jobs/%2e%2e/config",
        "GET, /jobs/0123/vertices/../yarn-cancel",
        "GET, /jobs/0123/yarn-%2563ancel",
        "GET, /jobs/0123/%2579arn-stop",
        "GET, //attacker.example/config"
    })
    void otherChangesAndDotSegmentsAreRefusedEvenWithBothOptions(String method, String path) {
        assertThat(allowed(OPEN, method, path)).isFalse();
    }

    @Test
    void aForeignHostIsRefusedUnlessTheUiListensEverywhere() {
        URI config = URI.create("/config");
        assertThat(CLOSED.decide("GET", config, "attacker.example:8081").allowed()).isFalse();
        assertThat(CLOSED.decide("GET", config, null).allowed()).isFalse();
        assertThat(CLOSED.decide("GET", config, "localhost").allowed()).isTrue();
        assertThat(CLOSED.decide("GET", config, "127.0.0.1:9999").allowed()).isTrue();
        assertThat(CLOSED.decide("GET", config, "[::1]:8081").allowed()).isTrue();

        WebUiAccess lan = new WebUiAccess(false, false, "10.1.2.3");
        assertThat(lan.decide("GET", config, "10.1.2.3:8081").allowed()).isTrue();
        assertThat(lan.decide("GET", config, "attacker.example").allowed()).isFalse();

        WebUiAccess everywhere = new WebUiAccess(false, false, "0.0.0.0");
        assertThat(everywhere.decide("GET", config, "monitor.internal:8081").allowed()).isTrue();
        assertThat(everywhere.decide("PATCH", URI.create("/jobs/1"), "x").allowed()).isFalse();
    }
}
