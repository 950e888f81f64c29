package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.PredictionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Caps the distinct values of the dimensions that key windows, drift state, attribution slices and
 * alarm series (model_version, user_segment): runs chained to the source, before anything is keyed,
 * so every operator downstream sees the same folded value, and maps a value beyond its {@link
 * DimensionCap cap} to {@value DimensionCap#OTHER}. Each folded value is also sent to {@link
 * #FOLDED} (the dimension's metric name), which data quality counts per window as {@code
 * FoldedDimensionValues}. Feedback carries no dimension of its own (it takes its prediction's) and
 * dead letters none, so both pass unchanged.
 *
 * <p><b>The bound is per subtask.</b> Admission is first come in the order this subtask sees its
 * input, so the job keeps at most parallelism x cap distinct values of a dimension, and exactly the
 * cap when the source runs in one subtask. An exact job-wide cap would need the subtasks to agree
 * on the kept values, which without a feedback loop in the graph they cannot. Subtasks that read
 * similar traffic (Kinesis shards keyed by request) keep the same values; when they do not, a value
 * kept by one subtask and folded by another has its own series for part of its traffic only, and
 * the {@code FoldedDimensionValues} warning says so.
 *
 * <p>The kept values are union operator state ({@value #STATE_NAME}): after a restore or a rescale
 * every subtask keeps every value any subtask kept, so no series is cut in two by a restart.
 */
public class FoldDimensions extends ProcessFunction<InputRecord, InputRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** The dimension (its metric name) of each value folded, one record per folded value. */
    public static final OutputTag<String> FOLDED =
            new OutputTag<>("folded-dimension-values", Types.STRING);

    /** The dimensions this operator caps, by metric name, in the order they are reported. */
    public static final List<String> DIMENSIONS =
            List.of(MetricNames.MODEL_VERSION, MetricNames.USER_SEGMENT);

    static final String STATE_NAME = "kept-dimension-values";

    private final int maxModelVersions;
    private final int maxSegments;
    private final long idleReleaseMillis;

    private transient DimensionCap modelVersions;
    private transient DimensionCap segments;
    private transient ListState<KeptDimensionValue> checkpointed;
    private transient Counter folded;

    /**
     * @param maxModelVersions distinct model versions kept per subtask
     * @param maxSegments distinct user segments kept per subtask
     * @param idleReleaseMillis event time after which an unseen kept value may be replaced (0:
     *     never)
     */
    public FoldDimensions(int maxModelVersions, int maxSegments, long idleReleaseMillis) {
        this.maxModelVersions = maxModelVersions;
        this.maxSegments = maxSegments;
        this.idleReleaseMillis = idleReleaseMillis;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        modelVersions = new DimensionCap(maxModelVersions, idleReleaseMillis);
        segments = new DimensionCap(maxSegments, idleReleaseMillis);
        checkpointed =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        STATE_NAME, TypeInformation.of(KeptDimensionValue.class)));
        if (!context.isRestored()) {
            return;
        }
        Map<String, Long> models = new HashMap<>();
        Map<String, Long> segs = new HashMap<>();
        for (KeptDimensionValue kept : checkpointed.get()) {
            // Union state: the same value may come from several subtasks.
            if (MetricNames.MODEL_VERSION.equals(kept.dimension)) {
                models.merge(kept.value, kept.lastSeen, Math::max);
            } else if (MetricNames.USER_SEGMENT.equals(kept.dimension)) {
                segs.merge(kept.value, kept.lastSeen, Math::max);
            }
        }
        modelVersions.restore(models);
        segments.restore(segs);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<KeptDimensionValue> kept = new ArrayList<>(modelVersions.size() + segments.size());
        for (Map.Entry<String, Long> e : modelVersions.kept().entrySet()) {
            kept.add(new KeptDimensionValue(MetricNames.MODEL_VERSION, e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, Long> e : segments.kept().entrySet()) {
            kept.add(new KeptDimensionValue(MetricNames.USER_SEGMENT, e.getKey(), e.getValue()));
        }
        checkpointed.update(kept);
    }

    @Override
    public void open(Configuration parameters) {
        folded =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("kinesisanalytics")
                        .counter("foldedDimensionValues");
    }

    @Override
    public void processElement(InputRecord record, Context ctx, Collector<InputRecord> out) {
        PredictionEvent p = record.prediction;
        if (p == null) {
            out.collect(record);
            return;
        }
        String model = modelVersions.admit(p.modelVersion, p.eventTime);
        String segment = segments.admit(p.userSegment, p.eventTime);
        boolean modelFolded = model != null && !model.equals(p.modelVersion);
        boolean segmentFolded = segment != null && !segment.equals(p.userSegment);
        if (!modelFolded && !segmentFolded) {
            out.collect(record);
            return;
        }
        if (modelFolded) {
            fold(ctx, MetricNames.MODEL_VERSION);
        }
        if (segmentFolded) {
            fold(ctx, MetricNames.USER_SEGMENT);
        }
        out.collect(InputRecord.of(withDimensions(p, model, segment)));
    }

    private void fold(Context ctx, String dimension) {
        folded.inc();
        ctx.output(FOLDED, dimension);
    }

    /**
     * A copy of {@code p} under the folded names: records are shared by the chained operators and
     * never changed once emitted. Shallow, because nothing downstream changes the collections.
     */
    static PredictionEvent withDimensions(PredictionEvent p, String model, String segment) {
        PredictionEvent c = new PredictionEvent();
        c.requestId = p.requestId;
        c.eventTime = p.eventTime;
        c.userId = p.userId;
        c.userSegment = segment;
        c.modelVersion = model;
        c.latencyMs = p.latencyMs;
        c.error = p.error;
        c.errorType = p.errorType;
        c.recommendations = p.recommendations;
        c.numericFeatures = p.numericFeatures;
        c.categoricalFeatures = p.categoricalFeatures;
        c.nullFeatures = p.nullFeatures;
        return c;
    }

    /** One kept value of a dimension in a checkpoint: a POJO, so no Kryo. */
    public static class KeptDimensionValue {
        /** The dimension's metric name, e.g. ModelVersion. */
        public String dimension;

        public String value;

        /** Newest event time the value was seen at, epoch milliseconds. */
        public long lastSeen;

        public KeptDimensionValue() {}

        public KeptDimensionValue(String dimension, String value, long lastSeen) {
            this.dimension = dimension;
            this.value = value;
            this.lastSeen = lastSeen;
        }
    }
}
