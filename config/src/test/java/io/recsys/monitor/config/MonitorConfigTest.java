package io.recsys.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorConfigTest {

    @TempDir Path dir;

    @Test
    void defaultsComeFromTheOperationsGuide() {
        MonitorConfig config = MonitorConfig.defaults();
        assertThat(config.get(Settings.ML_METRIC_PERIOD)).isEqualTo(Duration.ofSeconds(3600));
        assertThat(config.get(Settings.ATTRIBUTION_WINDOW)).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.get(Settings.METRIC_NAMESPACE)).isEqualTo("RecommendationSystem");
        AlarmDefinition lowCtr = config.lowCtrAlarm();
        assertThat(lowCtr.name()).isEqualTo("recommendation-low-ctr");
        assertThat(lowCtr.criticalThreshold()).isEqualTo(2.0);
        assertThat(lowCtr.warningThreshold()).isEqualTo(2.5);
        assertThat(lowCtr.evaluationPeriods()).isEqualTo(3);
        assertThat(lowCtr.datapointsToAlarm()).isEqualTo(3);
        assertThat(lowCtr.periodMillis()).isEqualTo(3_600_000L);
        assertThat(config.get(Settings.MAX_EVENT_BYTES)).isEqualTo(65536);
        assertThat(config.get(Settings.MAX_RECOMMENDATIONS)).isEqualTo(100);
        assertThat(config.get(Settings.MAX_FEATURES)).isEqualTo(200);
    }

    @Test
    void unknownKeyIsNamedWithTheClosestKnownKey() {
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("metrics.ml-perod", "1h")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Unknown configuration key 'metrics.ml-perod'")
                .hasMessageContaining("did you mean metrics.ml-period");
    }

    @Test
    void enhancedFanOutIsRefusedWithTheReasonWhicheverKeyAsksForIt() {
        // This job's keys, and the connector's own properties as a property group might pass
        // them: the record publisher and the fan-out consumer's registration.
        for (Map<String, String> raw :
                List.of(
                        Map.of("kinesis.consumer", "efo"),
                        Map.of("kinesis.consumer", "EFO"),
                        Map.of("kinesis.efo-consumer-name", "recsys-monitor"),
                        Map.of("kinesis.flink.stream.recordpublisher", "EFO"),
                        Map.of("flink.stream.recordpublisher", "EFO"),
                        Map.of("kinesis.flink.stream.efo.registration", "EAGER"),
                        Map.of("flink.stream.efo.consumername", "recsys-monitor"))) {
            assertThatThrownBy(() -> MonitorConfig.of(raw))
                    .as("%s", raw)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("Enhanced fan-out is not supported by this build")
                    .hasMessageContaining(raw.keySet().iterator().next())
                    .hasMessageContaining("polling")
                    .hasMessageContaining("docs/deploy.md");
        }
        assertThat(
                        MonitorConfig.of(Map.of("kinesis.consumer", "polling"))
                                .get(Settings.KINESIS_CONSUMER))
                .isEqualTo("polling");
    }

    @Test
    void impossibleValueNamesKeyAndAcceptedValues() {
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("source.type", "kafka")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'source.type'")
                .hasMessageContaining("one of generator, file, kinesis");
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("job.parallelism", "0")))
                .hasMessageContaining("'job.parallelism'")
                .hasMessageContaining("an integer from 1 to 1024");
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("attribution.window", "soon")))
                .hasMessageContaining("'attribution.window'")
                .hasMessageContaining("such as 500ms, 30s, 5min, 1h");
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("generator.click-rate", "1.5")))
                .hasMessageContaining("'generator.click-rate'")
                .hasMessageContaining("a number from 0.0 to 1.0");
    }

    @Test
    void theLocalWebUiIsClosedByDefaultAndItsAddressIsChecked() {
        MonitorConfig defaults = MonitorConfig.defaults();
        assertThat(defaults.get(Settings.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(defaults.get(Settings.WEB_SUBMIT)).isFalse();
        assertThat(defaults.get(Settings.WEB_CANCEL)).isFalse();
        assertThat(MonitorConfig.of(Map.of("job.bind-address", "::1")).get(Settings.BIND_ADDRESS))
                .isEqualTo("::1");
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("job.bind-address", "0.0.0.0/0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("job.bind-address")
                .hasMessageContaining("IP address or host name");
    }

    @Test
    void inconsistentAlarmIsRejected() {
        assertThatThrownBy(
                        () ->
                                MonitorConfig.of(
                                        Map.of(
                                                "alarms.low-ctr.evaluation-periods", "2",
                                                "alarms.low-ctr.datapoints-to-alarm", "3")))
                .hasMessageContaining("alarms.low-ctr.datapoints-to-alarm")
                .hasMessageContaining("at most alarms.low-ctr.evaluation-periods");
        assertThatThrownBy(
                        () -> MonitorConfig.of(Map.of("alarms.low-ctr.critical-threshold", "3.0")))
                .hasMessageContaining("alarms.low-ctr.critical-threshold");
    }

    @Test
    void fileSourceNeedsAnInput() {
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("source.type", "file")))
                .hasMessageContaining("source.input");
    }

    @Test
    void deadLetterDestinationNeedsItsQueueOrStream() {
        assertThat(MonitorConfig.defaults().get(Settings.DEAD_LETTER_DESTINATION)).isEqualTo("log");
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("dead-letter.destination", "sqs")))
                .hasMessageStartingWith("Missing value for 'dead-letter.sqs-queue-url'");
        assertThatThrownBy(
                        () ->
                                MonitorConfig.of(
                                        Map.of(
                                                "dead-letter.destination", "sqs",
                                                "dead-letter.sqs-queue-url",
                                                        "recsys-dead-letters")))
                .hasMessageStartingWith(
                        "Invalid value 'recsys-dead-letters' for 'dead-letter.sqs-queue-url'");
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("dead-letter.destination", "kinesis")))
                .hasMessageStartingWith("Missing value for 'dead-letter.kinesis-stream'");
        assertThatThrownBy(
                        () ->
                                MonitorConfig.of(
                                        Map.of(
                                                "dead-letter.destination", "kinesis",
                                                "dead-letter.kinesis-stream", "a/b")))
                .hasMessageStartingWith("Invalid value 'a/b' for 'dead-letter.kinesis-stream'");
        assertThatThrownBy(() -> MonitorConfig.of(Map.of("dead-letter.destination", "s3")))
                .hasMessageContaining("dead-letter.destination");
        MonitorConfig sqs =
                MonitorConfig.of(
                        Map.of(
                                "dead-letter.destination",
                                "sqs",
                                "dead-letter.sqs-queue-url",
                                "https://sqs.us-east-1.amazonaws.com/123456789012/dl"));
        assertThat(sqs.get(Settings.DEAD_LETTER_SQS_QUEUE_URL)).endsWith("/dl");
        MonitorConfig kinesis =
                MonitorConfig.of(
                        Map.of(
                                "dead-letter.destination", "kinesis",
                                "dead-letter.kinesis-stream", "recsys-dead-letters"));
        assertThat(kinesis.get(Settings.DEAD_LETTER_KINESIS_STREAM))
                .isEqualTo("recsys-dead-letters");
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(
                        MonitorConfig.of(Map.of("metrics.ml-period", "5min"))
                                .get(Settings.ML_METRIC_PERIOD))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(
                        MonitorConfig.of(Map.of("metrics.ml-period", "PT2H"))
                                .get(Settings.ML_METRIC_PERIOD))
                .isEqualTo(Duration.ofHours(2));
        assertThat(
                        MonitorConfig.of(Map.of("metrics.ml-period", "1500ms"))
                                .get(Settings.ML_METRIC_PERIOD))
                .isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void yamlFileIsFlattenedAndCommandLineWins() throws IOException {
        Path yaml = dir.resolve("monitor.yaml");
        Files.write(
                yaml,
                ("metrics:\n  ml-period: 10min\n  namespace: Shop\n"
                                + "generator:\n  model-versions: [a, b, c]\n")
                        .getBytes(StandardCharsets.UTF_8));
        MonitorConfig config =
                new ConfigLoader().file(yaml).set("metrics.namespace=Override").load();
        assertThat(config.get(Settings.ML_METRIC_PERIOD)).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.get(Settings.METRIC_NAMESPACE)).isEqualTo("Override");
        assertThat(config.get(Settings.GENERATOR_MODEL_VERSIONS)).containsExactly("a", "b", "c");
    }

    @Test
    void propertiesFile() throws IOException {
        Path props = dir.resolve("monitor.properties");
        Files.write(props, "job.parallelism=3\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new ConfigLoader().file(props).load().get(Settings.PARALLELISM)).isEqualTo(3);
    }

    @Test
    void applicationPropertiesJsonGroupsArePrefixes() throws IOException {
        Path json = dir.resolve("flink-application-properties-dev.json");
        Files.write(
                json,
                ("[{\"PropertyGroupId\":\"recsys-monitor\",\"PropertyMap\":{\"job.parallelism\":\"4\"}},"
                                + "{\"PropertyGroupId\":\"alarms.low-ctr\",\"PropertyMap\":{\"critical-threshold\":\"1.5\"}}]")
                        .getBytes(StandardCharsets.UTF_8));
        MonitorConfig config = new ConfigLoader().file(json).load();
        assertThat(config.get(Settings.PARALLELISM)).isEqualTo(4);
        assertThat(config.lowCtrAlarm().criticalThreshold()).isEqualTo(1.5);
    }

    @Test
    void runtimePropertyGroupsWithUnknownKeyFail() {
        Properties p = new Properties();
        p.setProperty("colour", "blue");
        ConfigLoader loader =
                new ConfigLoader().propertyGroups(Collections.singletonMap("metrics", p));
        assertThatThrownBy(loader::load).hasMessageContaining("'metrics.colour'");
    }

    @Test
    void malformedOverrideIsRejected() {
        assertThatThrownBy(() -> new ConfigLoader().set("job.parallelism"))
                .hasMessageContaining("expected key=value");
    }

    @Test
    void everyDefaultParsesAndIsDocumented() {
        for (Setting<?> s : Settings.all()) {
            assertThat(s.description()).as(s.key()).isNotBlank();
            assertThat(s.parse(s.defaultText())).as(s.key()).isNotNull();
        }
    }
}
