package io.recsys.monitor.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.job.dashboard.DashboardServer;
import io.recsys.monitor.job.dashboard.RunOutputs;
import io.recsys.monitor.job.sink.LocalOutputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's client of the live dashboard asks as the page does, one turn at a time. */
class LivePageClientTest {
    private static final String POINT =
            "{\"metric\":\"CTR\",\"dimensions\":{},\"timestamp\":\"2026-01-01T01:0%d:00Z\","
                    + "\"value\":3.1,\"unit\":\"Percent\"}\n";

    @TempDir Path outputDir;

    @Test
    void asksSinceTheRecordsItHoldsAndGetsTheDataOnlyWhenThereIsMore() throws Exception {
        Path metrics = outputDir.resolve(LocalOutputs.METRICS_FILE);
        Files.writeString(metrics, String.format(POINT, 1));
        try (DashboardServer server =
                        DashboardServer.start(
                                "127.0.0.1",
                                0,
                                new RunOutputs(outputDir, AlarmCatalog.defaults()));
                LivePageClient client = new LivePageClient(server.port(), Duration.ofHours(1))) {
            client.ask();
            assertThat(client.records()).isEqualTo(1);
            assertThat(client.fullAnswers()).isEqualTo(1);
            long firstAnswer = client.bytes();
            assertThat(firstAnswer).isPositive();

            client.ask();
            assertThat(client.requests()).isEqualTo(2);
            assertThat(client.fullAnswers()).isEqualTo(1);
            assertThat(client.bytes()).isEqualTo(firstAnswer);

            Files.writeString(metrics, String.format(POINT, 2), StandardOpenOption.APPEND);
            client.ask();
            assertThat(client.requests()).isEqualTo(3);
            assertThat(client.fullAnswers()).isEqualTo(2);
            assertThat(client.records()).isEqualTo(2);
            assertThat(client.failures()).isZero();
        }
    }

    @Test
    void readsTheRecordCountWhereverItIsInTheObject() throws IOException {
        byte[] data =
                "{\"metrics\":{\"CTR\":{\"series\":{\"all\":[[1,2]]}}},\"records\":17,\"alerts\":[]}"
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(LivePageClient.recordCount(data)).isEqualTo(17);
        assertThatThrownBy(() -> LivePageClient.recordCount("{\"alerts\":[]}".getBytes()))
                .isInstanceOf(IOException.class);
    }
}
