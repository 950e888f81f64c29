package io.recsys.monitor.job.source;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.MonitorSources;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.InputWatermarks;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Kinesis Data Streams as input: one {@code FlinkKinesisConsumer} over the prediction stream, or
 * over the prediction and the feedback stream together when they are apart, configured from the
 * {@code aws.*} and {@code kinesis.*} settings. Records are parsed in the source ({@link
 * KinesisEventSchema}), and event time is tracked per shard ({@link ShardWatermarks}) so that a
 * lagging shard holds the watermark back instead of having its events dropped as late.
 *
 * <p>It uses the connector's {@code SourceFunction} consumer (flink-connector-kinesis 4.3.0)
 * because that is the one checked against Flink 1.20 and a local emulator, and it keeps its shard
 * positions in Flink checkpoints. It polls (GetRecords); enhanced fan-out is refused by the
 * configuration, since the application jar leaves its client out.
 */
public final class KinesisInput implements MonitorSources {
    /**
     * The connector's relocated AWS SDK v1 switch for CBOR. Local emulators only speak JSON, while
     * real Kinesis with CBOR off mishandles the LATEST start position, so it is set only for {@code
     * kinesis.emulator=true}.
     */
    static final String DISABLE_CBOR_PROPERTY =
            "org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor";

    /** The fixed keys a local emulator accepts, as the AWS CLI and moto use them. */
    static final String EMULATOR_KEY = "testing";

    private final MonitorConfig config;
    private final Supplier<String> defaultRegion;

    public KinesisInput(MonitorConfig config) {
        this(config, KinesisInput::regionFromDefaultChain);
    }

    /** With the default region chain replaced, so that tests do not depend on the machine. */
    KinesisInput(MonitorConfig config, Supplier<String> defaultRegion) {
        this.config = config;
        this.defaultRegion = defaultRegion;
    }

    @Override
    @SuppressWarnings("deprecation") // addSource: the 4.x consumer is a SourceFunction
    public DataStream<InputRecord> input(StreamExecutionEnvironment env) {
        List<String> streams = streams(config);
        Properties properties = consumerProperties(config, defaultRegion);
        KinesisEventSchema schema =
                new KinesisEventSchema(
                        EventLimits.fromConfig(config),
                        config.get(Settings.MAX_FUTURE_SKEW),
                        System::currentTimeMillis);
        FlinkKinesisConsumer<InputRecord> consumer =
                config.get(Settings.KINESIS_EMULATOR)
                        ? new EmulatorConsumer(streams, schema, properties)
                        : new FailFastConsumer(streams, schema, properties);
        // Idleness is the connector's shard-idle interval (see consumerProperties), which knows
        // each shard; the strategy's own idleness would only see the whole subtask.
        consumer.setPeriodicWatermarkAssigner(
                new ShardWatermarks(
                        InputWatermarks.strategy(
                                config.get(Settings.WATERMARK_OUT_OF_ORDERNESS), Duration.ZERO)));
        DataStream<InputRecord> records =
                env.addSource(consumer, "Kinesis: " + String.join(", ", streams))
                        .uid("source-kinesis");
        return records.transform(
                        "Hold event time while the shards start",
                        records.getType(),
                        new EventTimeWarmUp<InputRecord>(
                                config.get(Settings.KINESIS_WARM_UP).toMillis()))
                .uid("kinesis-warm-up");
    }

    /** The streams to read: the prediction stream, then the feedback stream when it is apart. */
    static List<String> streams(MonitorConfig config) {
        String predictions = config.get(Settings.KINESIS_STREAM).trim();
        if (predictions.isEmpty()) {
            throw new ConfigException(
                    "source.type=kinesis needs "
                            + Settings.KINESIS_STREAM.key()
                            + ": the name of the Kinesis stream of prediction events");
        }
        String feedback = config.get(Settings.KINESIS_FEEDBACK_STREAM).trim();
        if (feedback.isEmpty() || feedback.equals(predictions)) {
            return Collections.singletonList(predictions);
        }
        List<String> streams = new ArrayList<>(2);
        streams.add(predictions);
        streams.add(feedback);
        return streams;
    }

    /** The connector's configuration from the {@code aws.*} and {@code kinesis.*} settings. */
    static Properties consumerProperties(MonitorConfig config, Supplier<String> defaultRegion) {
        Properties p = new Properties();
        p.setProperty(AWSConfigConstants.AWS_REGION, region(config, defaultRegion));
        String endpoint = config.get(Settings.AWS_ENDPOINT).trim();
        if (!endpoint.isEmpty()) {
            p.setProperty(AWSConfigConstants.AWS_ENDPOINT, endpoint);
        }
        if ("emulator".equals(config.get(Settings.AWS_CREDENTIALS))) {
            p.setProperty(
                    AWSConfigConstants.AWS_CREDENTIALS_PROVIDER,
                    AWSConfigConstants.CredentialProvider.BASIC.name());
            p.setProperty(
                    AWSConfigConstants.accessKeyId(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER),
                    EMULATOR_KEY);
            p.setProperty(
                    AWSConfigConstants.secretKey(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER),
                    EMULATOR_KEY);
        } else {
            // The default chain: environment, profile, container or instance role; on Managed
            // Service for Apache Flink, the application's service execution role.
            p.setProperty(
                    AWSConfigConstants.AWS_CREDENTIALS_PROVIDER,
                    AWSConfigConstants.CredentialProvider.AUTO.name());
        }
        initialPosition(config, p);
        // Polling only: the configuration refuses enhanced fan-out, whose client the application
        // jar leaves out.
        p.setProperty(
                ConsumerConfigConstants.RECORD_PUBLISHER_TYPE,
                ConsumerConfigConstants.RecordPublisherType.POLLING.name());
        Duration idle = config.get(Settings.KINESIS_IDLE_SHARD_TIMEOUT);
        if (!idle.isZero()) {
            p.setProperty(
                    ConsumerConfigConstants.SHARD_IDLE_INTERVAL_MILLIS,
                    Long.toString(idle.toMillis()));
        }
        return p;
    }

    private static void initialPosition(MonitorConfig config, Properties p) {
        String position = config.get(Settings.KINESIS_INITIAL_POSITION);
        if ("trim_horizon".equals(position)) {
            p.setProperty(
                    ConsumerConfigConstants.STREAM_INITIAL_POSITION,
                    ConsumerConfigConstants.InitialPosition.TRIM_HORIZON.name());
        } else if ("at_timestamp".equals(position)) {
            p.setProperty(
                    ConsumerConfigConstants.STREAM_INITIAL_POSITION,
                    ConsumerConfigConstants.InitialPosition.AT_TIMESTAMP.name());
            p.setProperty(
                    ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    epochSeconds(config.get(Settings.KINESIS_INITIAL_TIMESTAMP)));
        } else {
            p.setProperty(
                    ConsumerConfigConstants.STREAM_INITIAL_POSITION,
                    ConsumerConfigConstants.InitialPosition.LATEST.name());
        }
    }

    /**
     * The start time as decimal epoch seconds, a form the connector parses without a date pattern
     * (its default pattern would reject an ISO-8601 time without milliseconds).
     */
    private static String epochSeconds(String timestamp) {
        String text = timestamp.trim();
        if (text.isEmpty()) {
            throw new ConfigException(
                    "kinesis.initial-position=at_timestamp needs "
                            + Settings.KINESIS_INITIAL_TIMESTAMP.key()
                            + ", an ISO-8601 time with an offset, e.g. 2026-01-01T00:00:00Z");
        }
        try {
            long millis = OffsetDateTime.parse(text).toInstant().toEpochMilli();
            return BigDecimal.valueOf(millis, 3).toPlainString();
        } catch (DateTimeException | ArithmeticException e) {
            throw new ConfigException(
                    "Invalid "
                            + Settings.KINESIS_INITIAL_TIMESTAMP.key()
                            + " '"
                            + text
                            + "': expected ISO-8601 with an offset, e.g. 2026-01-01T00:00:00Z",
                    e);
        }
    }

    private static String region(MonitorConfig config, Supplier<String> defaultRegion) {
        String region = config.get(Settings.AWS_REGION).trim();
        // The connector has no region chain of its own: it needs the region spelled out.
        return region.isEmpty() ? defaultRegion.get() : region;
    }

    /** The region of the AWS SDK's default chain (AWS_REGION, profile, instance metadata). */
    static String regionFromDefaultChain() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion().id();
        } catch (SdkClientException e) {
            throw new ConfigException(
                    Settings.AWS_REGION.key()
                            + " is empty and the AWS default region chain found no region ("
                            + e.getMessage()
                            + "). Set "
                            + Settings.AWS_REGION.key()
                            + ", e.g. "
                            + Settings.AWS_REGION.key()
                            + "=us-east-1, or the AWS_REGION environment variable.",
                    e);
        }
    }

    /**
     * The connector's consumer, except that a failure no restart heals (a stream deleted while the
     * job runs, access denied, rejected credentials) ends the job at once as an {@link
     * io.recsys.monitor.failure.UnrecoverableFailure} instead of restarting it again and again
     * ({@link KinesisSourceFailure}).
     */
    static class FailFastConsumer extends FlinkKinesisConsumer<InputRecord> {
        private static final long serialVersionUID = 1L;

        private final List<String> streams;

        FailFastConsumer(
                List<String> streams,
                KinesisDeserializationSchema<InputRecord> schema,
                Properties properties) {
            super(streams, schema, properties);
            this.streams = new ArrayList<>(streams);
        }

        @Override
        public void run(SourceContext<InputRecord> context) throws Exception {
            try {
                super.run(context);
            } catch (Exception e) {
                RuntimeException unrecoverable = KinesisSourceFailure.unrecoverable(e, streams);
                if (unrecoverable != null) {
                    throw unrecoverable;
                }
                throw e;
            }
        }
    }

    /**
     * The consumer for a local emulator: it turns CBOR off in the JVM that runs it, before the
     * connector creates its Kinesis client. The switch is a JVM-wide system property and must be
     * set where the source runs (the task manager), not only where the job is built.
     */
    static final class EmulatorConsumer extends FailFastConsumer {
        private static final long serialVersionUID = 1L;

        EmulatorConsumer(
                List<String> streams,
                KinesisDeserializationSchema<InputRecord> schema,
                Properties properties) {
            super(streams, schema, properties);
        }

        @Override
        public void run(SourceContext<InputRecord> context) throws Exception {
            System.setProperty(DISABLE_CBOR_PROPERTY, "true");
            super.run(context);
        }
    }
}
