package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.util.KinesisConfigUtil;
import org.junit.jupiter.api.Test;

/** How the settings become the connector's configuration, checked without any AWS service. */
class KinesisInputTest {
    private static final Supplier<String> NO_DEFAULT_REGION =
            () -> {
                throw new AssertionError("the default region chain must not be asked");
            };

    private static MonitorConfig config(String... keyValues) {
        Map<String, String> raw = new HashMap<>();
        raw.put("source.type", "kinesis");
        raw.put("kinesis.stream", "predictions");
        raw.put("aws.region", "eu-west-1");
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return MonitorConfig.of(raw);
    }

    private static Properties properties(MonitorConfig config) {
        Properties p = KinesisInput.consumerProperties(config, NO_DEFAULT_REGION);
        // The connector's own checks, as its constructor runs them.
        KinesisConfigUtil.validateConsumerConfiguration(p, KinesisInput.streams(config));
        return p;
    }

    @Test
    void defaultsReadRealKinesisFromLatestWithTheDefaultCredentials() {
        Properties p = properties(config());

        assertThat(p.getProperty(AWSConfigConstants.AWS_REGION)).isEqualTo("eu-west-1");
        assertThat(p.getProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER)).isEqualTo("AUTO");
        assertThat(p).doesNotContainKey(AWSConfigConstants.AWS_ENDPOINT);
        assertThat(p.getProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION))
                .isEqualTo("LATEST");
        assertThat(p.getProperty(ConsumerConfigConstants.RECORD_PUBLISHER_TYPE))
                .isEqualTo("POLLING");
        // kinesis.idle-shard-timeout defaults to 1 min.
        assertThat(p.getProperty(ConsumerConfigConstants.SHARD_IDLE_INTERVAL_MILLIS))
                .isEqualTo("60000");
    }

    @Test
    void emulatorGetsItsEndpointAndFixedKeys() {
        Properties p =
                properties(
                        config(
                                "aws.endpoint", "http://127.0.0.1:5000",
                                "aws.credentials", "emulator",
                                "kinesis.initial-position", "trim_horizon"));

        assertThat(p.getProperty(AWSConfigConstants.AWS_ENDPOINT))
                .isEqualTo("http://127.0.0.1:5000");
        assertThat(p.getProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER)).isEqualTo("BASIC");
        assertThat(p.getProperty("aws.credentials.provider.basic.accesskeyid"))
                .isEqualTo("testing");
        assertThat(p.getProperty("aws.credentials.provider.basic.secretkey")).isEqualTo("testing");
        assertThat(p.getProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION))
                .isEqualTo("TRIM_HORIZON");
    }

    @Test
    void atTimestampIsPassedAsEpochSeconds() {
        Properties p =
                properties(
                        config(
                                "kinesis.initial-position", "at_timestamp",
                                "kinesis.initial-timestamp", "2026-01-01T01:00:00.250+01:00"));

        assertThat(p.getProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION))
                .isEqualTo("AT_TIMESTAMP");
        // 2026-01-01T00:00:00.250Z
        assertThat(p.getProperty(ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP))
                .isEqualTo("1767225600.250");
        assertThat(KinesisConfigUtil.parseStreamTimestampStartingPosition(p).getTime())
                .isEqualTo(1_767_225_600_250L);
    }

    @Test
    void atTimestampWithoutATimestampNamesTheSetting() {
        assertThatThrownBy(() -> properties(config("kinesis.initial-position", "at_timestamp")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kinesis.initial-timestamp");
        assertThatThrownBy(
                        () ->
                                properties(
                                        config(
                                                "kinesis.initial-position", "at_timestamp",
                                                "kinesis.initial-timestamp", "yesterday")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kinesis.initial-timestamp");
    }

    @Test
    void enhancedFanOutIsRefusedBeforeTheSourceIsBuilt() {
        // The application jar leaves out the connector's fan-out client: a job configured for it
        // must fail at start, not when the first subtask subscribes to a shard.
        assertThatThrownBy(() -> config("kinesis.consumer", "efo"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Enhanced fan-out is not supported by this build")
                .hasMessageContaining("kinesis.consumer=efo")
                .hasMessageContaining("docs/deploy.md");
    }

    @Test
    void zeroIdleTimeoutLeavesShardsNeverIdle() {
        Properties p = properties(config("kinesis.idle-shard-timeout", "0s"));

        assertThat(p).doesNotContainKey(ConsumerConfigConstants.SHARD_IDLE_INTERVAL_MILLIS);
    }

    @Test
    void emptyRegionComesFromTheDefaultChain() {
        Properties p =
                KinesisInput.consumerProperties(config("aws.region", ""), () -> "ap-southeast-2");

        assertThat(p.getProperty(AWSConfigConstants.AWS_REGION)).isEqualTo("ap-southeast-2");
    }

    @Test
    void feedbackSharesThePredictionStreamUnlessNamed() {
        assertThat(KinesisInput.streams(config())).containsExactly("predictions");
        assertThat(KinesisInput.streams(config("kinesis.feedback-stream", "predictions")))
                .containsExactly("predictions");
        assertThat(KinesisInput.streams(config("kinesis.feedback-stream", "feedback")))
                .containsExactly("predictions", "feedback");
    }

    @Test
    void missingStreamNamesTheSetting() {
        assertThatThrownBy(() -> KinesisInput.streams(config("kinesis.stream", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kinesis.stream");
    }

    @Test
    void sourceOperatorHasAStableUidAndAReadableName() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new KinesisInput(config("kinesis.feedback-stream", "feedback"), NO_DEFAULT_REGION)
                .input(env)
                .print();

        StreamGraph graph = env.getStreamGraph();
        List<StreamNode> sources =
                graph.getStreamNodes().stream()
                        .filter(n -> graph.getSourceIDs().contains(n.getId()))
                        .collect(java.util.stream.Collectors.toList());
        assertThat(sources).hasSize(1);
        assertThat(sources.get(0).getTransformationUID()).isEqualTo("source-kinesis");
        assertThat(sources.get(0).getOperatorName())
                .isEqualTo("Source: Kinesis: predictions, feedback");
    }

    @Test
    void emulatorModeUsesTheCborFreeConsumerOnly() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new KinesisInput(config("kinesis.emulator", "true"), NO_DEFAULT_REGION).input(env).print();
        StreamExecutionEnvironment real = StreamExecutionEnvironment.getExecutionEnvironment();
        new KinesisInput(config(), NO_DEFAULT_REGION).input(real).print();

        assertThat(sourceFunction(env)).isInstanceOf(KinesisInput.EmulatorConsumer.class);
        assertThat(sourceFunction(real)).isNotInstanceOf(KinesisInput.EmulatorConsumer.class);
    }

    @SuppressWarnings("deprecation")
    private static Object sourceFunction(StreamExecutionEnvironment env) {
        StreamGraph graph = env.getStreamGraph();
        StreamNode source = graph.getStreamNode(graph.getSourceIDs().iterator().next());
        return ((org.apache.flink.streaming.api.operators.StreamSource<?, ?>)
                        ((org.apache.flink.streaming.api.operators.SimpleOperatorFactory<?>)
                                        source.getOperatorFactory())
                                .getOperator())
                .getUserFunction();
    }
}
