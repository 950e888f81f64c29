package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.config.ValueType;
import io.recsys.monitor.job.source.WholeFileFormat;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.drift.DriftPanePartial;
import io.recsys.monitor.operators.drift.DriftPaneSplit;
import io.recsys.monitor.operators.drift.DriftPreAggregation;
import io.recsys.monitor.operators.drift.DriftRules;
import io.recsys.monitor.operators.drift.DriftStateHandOff;
import io.recsys.monitor.operators.drift.DriftUnitPartial;
import io.recsys.monitor.operators.drift.ModelDriftCombiner;
import io.recsys.monitor.operators.drift.OrderedDriftReports;
import io.recsys.monitor.operators.drift.RollingDriftFunction;
import io.recsys.monitor.operators.drift.WindowDriftPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The drift part of the graph: reference profiles read from {@code drift.reference} and broadcast,
 * the panes sketched per subtask before the shuffle ({@link DriftPreAggregation}, so that one hot
 * model version does not leave the sketching to one subtask) and divided into features and scores
 * ({@link DriftPaneSplit}), the rolling drift operator keyed by model version and feature, so that
 * one model version's per-window work spreads over the subtasks, and a light stage keyed by model
 * version that combines a window's feature results into the model's reports ({@link
 * ModelDriftCombiner}). Under the previous releases' uid {@code drift-per-model-version}, {@link
 * DriftStateHandOff} restores their drift state and hands it on. It returns the drift metric points
 * (to join the job's other metrics before the alarms) and the drift reports.
 *
 * <p>Event time: the drift operator's watermark is the smaller of the predictions' and the
 * references'. A bounded run reads the reference files first (their source emits no watermark until
 * it ends), so no window is judged before the reference is known. An unbounded run watches the
 * path; its reference source holds event time back only until the first file is read when a file
 * exists at start, and not at all otherwise, so that an empty directory never stalls the job.
 */
public final class DriftGraph {
    private DriftGraph() {}

    /** Drift metric points and drift reports. */
    public static final class Outputs {
        public final DataStream<MetricPoint> metrics;
        public final DataStream<DriftReport> reports;

        Outputs(DataStream<MetricPoint> metrics, DataStream<DriftReport> reports) {
            this.metrics = metrics;
            this.reports = reports;
        }
    }

    /**
     * Adds the drift operators over {@code predictions} (whole, or as {@code
     * PredictionProjections.forDrift}); returns their metric points and reports.
     */
    public static Outputs build(
            DataStream<PredictionEvent> predictions,
            StreamExecutionEnvironment env,
            MonitorConfig config) {
        DriftRules rules =
                new DriftRules(
                        config.get(Settings.DRIFT_ALPHA),
                        config.get(Settings.DRIFT_MIN_EFFECT_SIZE),
                        DriftRules.defaults().meanShiftDrift,
                        DriftRules.defaults().meanShiftRetrain,
                        config.get(Settings.DRIFT_FALSE_ALARMS_PER_DAY),
                        config.get(Settings.DRIFT_MIN_DISTANCE));
        RollingDriftFunction function =
                new RollingDriftFunction(
                        config.get(Settings.DRIFT_WINDOW).toMillis(),
                        config.get(Settings.DRIFT_SLIDE).toMillis(),
                        config.get(Settings.DRIFT_MAX_CATEGORIES),
                        config.get(Settings.DRIFT_EXACT_VALUES),
                        recentWindows(config),
                        rules,
                        config.get(Settings.METRIC_NAMESPACE));

        DataStream<ReferenceUpdate> referenceUpdates = references(env, config);
        DataStream<DriftUnitPartial> units =
                predictions
                        .connect(referenceUpdates.broadcast())
                        .transform(
                                "Drift panes per model version, before the shuffle",
                                DriftPanePartial.TYPE,
                                new DriftPreAggregation(
                                        config.get(Settings.DRIFT_SLIDE).toMillis(),
                                        config.get(Settings.DRIFT_MAX_CATEGORIES),
                                        config.get(Settings.DRIFT_EXACT_VALUES),
                                        function.maxPanes()))
                        // Beside the predictions' subtasks, fed forward: each sketches its own.
                        .setParallelism(predictions.getParallelism())
                        .uid("drift-pre-aggregation")
                        .flatMap(new DriftPaneSplit())
                        .returns(DriftUnitPartial.TYPE)
                        .setParallelism(predictions.getParallelism())
                        .uid("drift-pane-split")
                        .name("Drift panes divided into features and scores");
        // The previous releases' operator under its uid: restores their state and hands it on.
        SingleOutputStreamOperator<DriftUnitPartial> handedOn =
                referenceUpdates
                        .keyBy(update -> "", Types.STRING)
                        .transform(
                                "Drift state of the previous release, handed on",
                                DriftUnitPartial.TYPE,
                                new DriftStateHandOff())
                        .uid("drift-per-model-version");
        BroadcastStream<ReferenceUpdate> references =
                referenceUpdates
                        .union(handedOn.getSideOutput(DriftStateHandOff.REFERENCES))
                        .broadcast(RollingDriftFunction.REFERENCES);
        SingleOutputStreamOperator<WindowDriftPart> parts =
                units.union(handedOn)
                        .keyBy(DriftUnitPartial::key, Types.STRING)
                        .connect(references)
                        .process(function)
                        .returns(WindowDriftPart.TYPE)
                        .uid("drift-per-model-version-and-feature")
                        .name(
                                "Rolling drift against the reference (per model version and feature)");
        SingleOutputStreamOperator<DriftReport> reports =
                parts.keyBy(p -> p.modelVersion, Types.STRING)
                        .process(
                                new ModelDriftCombiner(
                                        rules,
                                        config.get(Settings.METRIC_NAMESPACE),
                                        config.get(Settings.DRIFT_SLIDE).toMillis()))
                        .uid("drift-combined-per-model-version")
                        .name("Drift reports per model version, from its features");
        DataStream<DriftReport> ordered =
                reports.keyBy(r -> OrderedDriftReports.KEY, Types.INT)
                        .process(new OrderedDriftReports())
                        .setParallelism(1)
                        .uid("drift-reports-in-order")
                        .name("Drift reports in window order");
        return new Outputs(reports.getSideOutput(ModelDriftCombiner.METRICS), ordered);
    }

    private static DataStream<ReferenceUpdate> references(
            StreamExecutionEnvironment env, MonitorConfig config) {
        String path = config.get(Settings.DRIFT_REFERENCE);
        if (path.isEmpty()) {
            // An empty bounded stream (fromData refuses to be empty): ends at once, so it never
            // holds back event time.
            return env.fromSequence(0, 0)
                    .uid("source-no-reference")
                    .name("No reference profile")
                    .setParallelism(1)
                    .filter(x -> false)
                    .uid("no-reference-filter")
                    .name("No reference profile (empty)")
                    .setParallelism(1)
                    .map(x -> new ReferenceUpdate())
                    .returns(TypeInformation.of(ReferenceUpdate.class))
                    .uid("no-reference-updates")
                    .name("No reference updates")
                    .setParallelism(1);
        }
        boolean watch = !isBounded(config) && Files.isDirectory(Paths.get(path));
        FileSource.FileSourceBuilder<String> builder =
                FileSource.forRecordStreamFormat(new WholeFileFormat(), new Path(path));
        WatermarkStrategy<String> watermarks = WatermarkStrategy.noWatermarks();
        if (watch) {
            builder.monitorContinuously(config.get(Settings.DRIFT_REFERENCE_MONITOR_INTERVAL));
            boolean hasFile = hasFile(path);
            watermarks = context -> new ReleaseEventTime(!hasFile);
        }
        return env.fromSource(builder.build(), watermarks, "Reference profiles: " + path)
                .uid("source-reference-profiles")
                .setParallelism(1)
                .map(json -> new ReferenceUpdate(path, json))
                .returns(TypeInformation.of(ReferenceUpdate.class))
                .uid("reference-updates")
                .name("Reference profile text")
                .setParallelism(1);
    }

    /** {@code drift.recent-windows} in milliseconds; the drift function checks them. */
    static long[] recentWindows(MonitorConfig config) {
        ValueType<Duration> duration = ValueType.duration(Duration.ofSeconds(1));
        return config.get(Settings.DRIFT_RECENT_WINDOWS).stream()
                .mapToLong(text -> parseRecentWindow(duration, text))
                .toArray();
    }

    private static long parseRecentWindow(ValueType<Duration> duration, String text) {
        try {
            return duration.parse(text.trim()).toMillis();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    Settings.DRIFT_RECENT_WINDOWS.key() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the job's input ends by itself, as RunCommand decides for the replay summary. */
    static boolean isBounded(MonitorConfig config) {
        switch (config.get(Settings.SOURCE_TYPE)) {
            case "file":
                return !config.get(Settings.SOURCE_FOLLOW);
            case "kinesis":
                return false;
            default:
                return config.get(Settings.GENERATOR_MAX_EVENTS) > 0;
        }
    }

    private static boolean hasFile(String directory) {
        try (Stream<java.nio.file.Path> files = Files.list(Paths.get(directory))) {
            return files.anyMatch(
                    f -> {
                        String name = f.getFileName().toString();
                        return Files.isRegularFile(f)
                                && !name.startsWith(".")
                                && !name.startsWith("_");
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list reference directory " + directory, e);
        }
    }

    /**
     * Lets event time pass (a maximal watermark) once the first reference has been read, or at once
     * when {@code immediately}. References that arrive later are broadcast all the same.
     */
    static final class ReleaseEventTime implements WatermarkGenerator<String> {
        private boolean released;

        ReleaseEventTime(boolean immediately) {
            this.released = immediately;
        }

        @Override
        public void onEvent(String event, long eventTimestamp, WatermarkOutput output) {
            released = true;
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (released) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE - 1));
            }
        }
    }
}
