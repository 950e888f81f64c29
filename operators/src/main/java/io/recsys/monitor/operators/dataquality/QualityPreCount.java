package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.QualityTally;
import io.recsys.monitor.operators.preaggregation.PendingWindows;
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
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
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
 * as the keyed windows did when every event crossed alone. When the input goes idle, the pending
 * counts are emitted before the idle status and events pass on alone until it is active again
 * (downstream stops waiting for an idle input's watermark). Pending counts are operator state, so a
 * restore neither loses nor repeats them. The pending windows are those of {@link PendingWindows},
 * as in the other pre-aggregations.
 */
public class QualityPreCount<T> extends AbstractStreamOperator<QualityTally>
        implements OneInputStreamOperator<T, QualityTally> {
    private static final long serialVersionUID = 1L;

    /** Stands for "no model version" (overall) as a map key; model versions are never empty. */
    private static final String OVERALL = "";

    private final long periodMillis;
    private final AggregateFunction<T, DataQualityCounts, DataQualityCounts> counting;
    private final SerializableFunction<T, String> modelVersion;

    private transient PendingWindows<DataQualityCounts> pending;

    /** This subtask's watermark: the windows up to it have been emitted. */
    private transient long watermark;

    /** Whether this subtask's input is idle (downstream then goes on without it). */
    private transient boolean idle;

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
        pending = new PendingWindows<>(periodMillis);
        watermark = Long.MIN_VALUE;
        idle = false;
        checkpointed =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pending-quality-counts",
                                        TypeInformation.of(QualityTally.class)));
        for (QualityTally tally : checkpointed.get()) {
            counting.merge(countsOf(tally.windowStart, sliceOf(tally.modelVersion)), tally.counts);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.clear();
        pending.forEach((start, slice, counts) -> checkpointed.add(tally(start, slice, counts)));
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
        long start = pending.windowStart(timestamp);
        if (idle || pending.lastMillisecond(start) <= watermark) {
            output.collect(new StreamRecord<>(single(event, start), timestamp));
            return;
        }
        counting.add(event, countsOf(start, sliceOf(modelVersion.apply(event))));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        pending.drainUpTo(mark.getTimestamp(), this::emit);
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            // Downstream goes on without this input from now: its counts must go first.
            pending.drainAll(this::emit);
        }
        idle = status.isIdle();
        super.processWatermarkStatus(status);
    }

    private void emit(long windowStart, String slice, DataQualityCounts counts) {
        output.collect(
                new StreamRecord<>(
                        tally(windowStart, slice, counts), pending.lastMillisecond(windowStart)));
    }

    private static String sliceOf(String modelVersion) {
        return modelVersion == null ? OVERALL : modelVersion;
    }

    private DataQualityCounts countsOf(long windowStart, String slice) {
        DataQualityCounts counts = pending.get(windowStart, slice);
        if (counts == null) {
            counts = counting.createAccumulator();
            pending.put(windowStart, slice, counts);
        }
        return counts;
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
