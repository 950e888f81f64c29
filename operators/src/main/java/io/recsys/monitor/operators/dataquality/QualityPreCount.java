package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.QualityTally;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Counts a stream's data quality per window of {@code metrics.data-quality-period} where the events
 * are parsed, before any shuffle: a few {@link QualityTally tallies} per window and source subtask
 * cross the network instead of every event (a prediction's data-quality view was about 740 bytes,
 * and feedback is nine events in ten). The counts add up, so the roll-up that merges tallies per
 * slice gives the same totals as counting every event in one place.
 *
 * <p>A window's tallies are emitted, stamped with the window's last millisecond, when this
 * subtask's watermark reaches that millisecond, and before the watermark itself, so downstream they
 * are never behind a watermark that closes their window. An event whose window this subtask has
 * already emitted is passed on at once as a tally of one, with its own timestamp: the merge
 * downstream, whose watermark is the minimum over all source subtasks, decides whether it is late,
 * as the keyed windows did when every event crossed alone. Pending counts are operator state, so a
 * restore neither loses nor repeats them.
 */
public class QualityPreCount<T> extends AbstractStreamOperator<QualityTally>
        implements OneInputStreamOperator<T, QualityTally> {
    private static final long serialVersionUID = 1L;

    /** Stands for "no model version" (overall) as a map key; model versions are never empty. */
    private static final String OVERALL = "";

    private final long periodMillis;
    private final AggregateFunction<T, DataQualityCounts, DataQualityCounts> counting;
    private final SerializableFunction<T, String> modelVersion;

    /** Pending counts by window start, then model version. */
    private transient TreeMap<Long, TreeMap<String, DataQualityCounts>> pending;

    /** This subtask's watermark: the windows up to it have been emitted. */
    private transient long watermark;

    // The slice the last event went to: consecutive events nearly always share it, and finding
    // it again would box the window start and walk two maps per event.
    private transient long lastStart;
    private transient String lastVersion;
    private transient DataQualityCounts lastCounts;

    private transient ListState<QualityTally> checkpointed;

    private QualityPreCount(
            long periodMillis,
            AggregateFunction<T, DataQualityCounts, DataQualityCounts> counting,
            SerializableFunction<T, String> modelVersion) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be positive, got " + periodMillis);
        }
        this.periodMillis = periodMillis;
        this.counting = counting;
        this.modelVersion = modelVersion;
        // Custom operators start chains by default; this one belongs in its input's chain.
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    /** Predictions, counted per model version. */
    public static QualityPreCount<PredictionEvent> predictions(long periodMillis, int maxFeatures) {
        return new QualityPreCount<>(
                periodMillis, new QualityAggregates.Predictions(maxFeatures), p -> p.modelVersion);
    }

    /** Feedback, counted overall. */
    public static QualityPreCount<FeedbackEvent> feedback(long periodMillis, int maxFeatures) {
        return new QualityPreCount<>(
                periodMillis, new QualityAggregates.Feedback(maxFeatures), f -> null);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pending = new TreeMap<>();
        watermark = Long.MIN_VALUE;
        checkpointed =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pending-quality-counts",
                                        TypeInformation.of(QualityTally.class)));
        for (QualityTally tally : checkpointed.get()) {
            DataQualityCounts counts = countsOf(tally.windowStart, tally.modelVersion);
            counting.merge(counts, tally.counts);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.clear();
        for (Map.Entry<Long, TreeMap<String, DataQualityCounts>> window : pending.entrySet()) {
            for (Map.Entry<String, DataQualityCounts> slice : window.getValue().entrySet()) {
                checkpointed.add(tally(window.getKey(), slice.getKey(), slice.getValue()));
            }
        }
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        T event = element.getValue();
        if (!element.hasTimestamp()) {
            // Downstream rejects it as the keyed window rejected the event itself.
            output.collect(new StreamRecord<>(single(event, 0)));
            return;
        }
        long timestamp = element.getTimestamp();
        // The window of TumblingEventTimeWindows.of(period), as downstream assigns it.
        long start = TimeWindow.getWindowStartWithOffset(timestamp, 0, periodMillis);
        if (start + periodMillis - 1 <= watermark) {
            output.collect(new StreamRecord<>(single(event, start), timestamp));
            return;
        }
        String version = modelVersion.apply(event);
        if (lastCounts == null || start != lastStart || !Objects.equals(version, lastVersion)) {
            lastCounts = countsOf(start, version);
            lastStart = start;
            lastVersion = version;
        }
        counting.add(event, lastCounts);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        Iterator<Map.Entry<Long, TreeMap<String, DataQualityCounts>>> windows =
                pending.entrySet().iterator();
        while (windows.hasNext()) {
            Map.Entry<Long, TreeMap<String, DataQualityCounts>> window = windows.next();
            long last = window.getKey() + periodMillis - 1;
            if (last > mark.getTimestamp()) {
                break;
            }
            for (Map.Entry<String, DataQualityCounts> slice : window.getValue().entrySet()) {
                output.collect(
                        new StreamRecord<>(
                                tally(window.getKey(), slice.getKey(), slice.getValue()), last));
            }
            windows.remove();
            lastCounts = null;
        }
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    private DataQualityCounts countsOf(long windowStart, String version) {
        return pending.computeIfAbsent(windowStart, w -> new TreeMap<>())
                .computeIfAbsent(
                        version == null ? OVERALL : version, v -> counting.createAccumulator());
    }

    private QualityTally single(T event, long windowStart) {
        DataQualityCounts counts = counting.add(event, counting.createAccumulator());
        return new QualityTally(
                modelVersion.apply(event), windowStart, windowStart + periodMillis, counts);
    }

    private QualityTally tally(long windowStart, String version, DataQualityCounts counts) {
        return new QualityTally(
                OVERALL.equals(version) ? null : version,
                windowStart,
                windowStart + periodMillis,
                counts);
    }
}
