package io.recsys.monitor.job.quality;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.job.MonitoringJob;
import io.recsys.monitor.job.bench.DiscardingOutputs;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.job.generator.TrafficSpan;
import io.recsys.monitor.job.source.RawInput;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import io.recsys.monitor.operators.ingest.SplitInput;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.FileUtils;

/**
 * Replays one {@link TrafficSpan} of generated traffic through the complete job ({@link
 * MonitoringJob#build}) on a local mini-cluster and collects its alerts. The lines are generated
 * while the job reads them (nothing of the span is held in memory), event time is the generator's,
 * and the watermarks are the replay's data-driven ones, as in a bounded {@code run --input}: the
 * same settings give the same alerts at any pace. Metrics and dead letters are discarded; the
 * alerts, or for the drift-quality benchmark the drift reports (the records of {@code
 * drift.jsonl}), come back with the job's counts.
 *
 * <p>Drift runs against a reference profile of clean traffic from another seed ({@link
 * #reference}), as a user's profile comes from an earlier, healthy stretch of the same service.
 */
public final class GeneratedReplay {
    /** Predictions in the drift reference: enough for every quantile the profile keeps. */
    static final int REFERENCE_PREDICTIONS = 50_000;

    /** Added to the run's seed for the reference's traffic, so that the two never share a draw. */
    static final long REFERENCE_SEED_OFFSET = 1_000_003;

    private GeneratedReplay() {}

    /** {@code config} with the generator's seed, request rate and scenarios set for one run. */
    static MonitorConfig traffic(MonitorConfig config, long seed, double rate, String scenarios) {
        return config.with(Settings.GENERATOR_SEED.key(), Long.toString(seed))
                .with(Settings.GENERATOR_REQUESTS_PER_SECOND.key(), Double.toString(rate))
                .with(Settings.GENERATOR_SCENARIOS.key(), scenarios);
    }

    /** What one replay produced. */
    public static final class Result {
        final TrafficSpan span;
        final List<Alert> alerts;

        /** The drift reports of a {@link #runForDrift} replay; empty after {@link #run}. */
        final List<DriftReport> driftReports;

        final long eventsRead;
        final long deadLetters;
        final long wallNanos;

        Result(
                TrafficSpan span,
                List<Alert> alerts,
                List<DriftReport> driftReports,
                long eventsRead,
                long deadLetters,
                long wallNanos) {
            this.span = span;
            this.alerts = alerts;
            this.driftReports = driftReports;
            this.eventsRead = eventsRead;
            this.deadLetters = deadLetters;
            this.wallNanos = wallNanos;
        }
    }

    /**
     * Replays the traffic that {@code config}'s {@code generator.*} keys describe up to {@code
     * endMillis} through the job it configures, with a drift reference built from clean traffic.
     */
    static Result run(MonitorConfig config, long endMillis) throws Exception {
        return run(config, endMillis, false);
    }

    /**
     * As {@link #run}, but collects the drift reports instead of the alerts (which are discarded).
     */
    static Result runForDrift(MonitorConfig config, long endMillis) throws Exception {
        return run(config, endMillis, true);
    }

    private static Result run(MonitorConfig config, long endMillis, boolean drift)
            throws Exception {
        TrafficSpan span = TrafficSpan.measure(GeneratorSettings.fromConfig(config), endMillis);
        Path work = Files.createTempDirectory("recsys-alarm-quality");
        try {
            Path reference = work.resolve("reference.json");
            Files.write(
                    reference,
                    ReferenceProfileJson.write(reference(config, REFERENCE_PREDICTIONS))
                            .getBytes(StandardCharsets.UTF_8));
            return replay(
                    config.with(Settings.DRIFT_REFERENCE.key(), reference.toString()), span, drift);
        } finally {
            FileUtils.deleteDirectory(work.toFile());
        }
    }

    /**
     * The profile of the first {@code predictions} predictions of clean traffic: the run's
     * generator settings with another seed and no scenario.
     */
    static ReferenceProfile reference(MonitorConfig config, int predictions) {
        MonitorConfig clean =
                config.with(
                                Settings.GENERATOR_SEED.key(),
                                Long.toString(
                                        config.get(Settings.GENERATOR_SEED)
                                                + REFERENCE_SEED_OFFSET))
                        .with(Settings.GENERATOR_SCENARIOS.key(), "")
                        .with(Settings.GENERATOR_MALFORMED_SHARE.key(), "0");
        TrafficSimulator simulator = new TrafficSimulator(GeneratorSettings.fromConfig(clean));
        EventParser parser = new EventParser(EventLimits.fromConfig(config));
        ReferenceProfileBuilder builder = ReferenceProfileBuilder.fromConfig(config);
        int added = 0;
        while (added < predictions) {
            GeneratedEvent event = simulator.next();
            if (event.feedback) {
                continue;
            }
            InputRecord record = parser.parse(event.json, "alarm-quality-reference", 0L);
            if (record.prediction != null) {
                builder.add(record.prediction);
                added++;
            }
        }
        return builder.build(
                "alarm-quality-reference",
                "2026-01-01T00:00:00Z",
                "generator seed " + clean.get(Settings.GENERATOR_SEED));
    }

    private static Result replay(MonitorConfig config, TrafficSpan span, boolean drift)
            throws Exception {
        Configuration conf = new Configuration();
        // As the run command: every record type a POJO or basic type, never Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Other runs may share the machine: any free port, on loopback only.
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        int parallelism = config.get(Settings.PARALLELISM);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        CollectedOutputs sinks = new CollectedOutputs(drift);
        MonitoringJob.build(
                env,
                e -> {
                    // One reader: the span is one event-time order (see SyntheticSource).
                    DataStream<String> raw =
                            e.fromSource(
                                            span.source(),
                                            WatermarkStrategy.noWatermarks(),
                                            "Generated traffic span")
                                    .setParallelism(1)
                                    .uid("source-generated-span");
                    return RawInput.parse(raw, "generator", "generator", config);
                },
                sinks,
                config);
        long started = System.nanoTime();
        JobClient client = env.executeAsync("alarm-quality");
        // One collected stream per run: draining one while another backs up would stall the job.
        List<Alert> alerts = new ArrayList<>();
        List<DriftReport> reports = new ArrayList<>();
        if (drift) {
            try (CloseableIterator<DriftReport> collected = sinks.driftReports) {
                collected.forEachRemaining(reports::add);
            }
        } else {
            try (CloseableIterator<Alert> collected = sinks.alerts) {
                collected.forEachRemaining(alerts::add);
            }
        }
        JobExecutionResult execution = client.getJobExecutionResult().get();
        long wall = System.nanoTime() - started;
        return new Result(
                span,
                alerts,
                reports,
                MonitoringJob.count(execution, SplitInput.EVENTS_READ),
                MonitoringJob.count(execution, MonitoringJob.DEAD_LETTERS_WRITTEN),
                wall);
    }

    /** Discards everything but the alerts or the drift reports, which come back to this JVM. */
    private static final class CollectedOutputs implements MonitorSinks {
        private final DiscardingOutputs discard = new DiscardingOutputs();
        private final boolean drift;
        private CloseableIterator<Alert> alerts;
        private CloseableIterator<DriftReport> driftReports;

        CollectedOutputs(boolean drift) {
            this.drift = drift;
        }

        @Override
        public void metrics(DataStream<MetricPoint> metrics) {
            discard.metrics(metrics);
        }

        @Override
        public void alerts(DataStream<Alert> stream) {
            if (drift) {
                discard.alerts(stream);
            } else {
                alerts = stream.collectAsync();
            }
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            discard.deadLetters(deadLetters);
        }

        @Override
        public void driftReports(DataStream<DriftReport> reports) {
            if (drift) {
                driftReports = reports.collectAsync();
            } else {
                discard.driftReports(reports);
            }
        }
    }
}
