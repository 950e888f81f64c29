package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.PredictionEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Caps the distinct values of the dimensions that key windows, drift state, attribution slices and
 * alarm series: runs chained to the source, before anything is keyed, so every operator downstream
 * sees the same folded value. A model_version or user_segment beyond its {@link DimensionCap cap}
 * becomes {@value DimensionCap#OTHER}. A feature name beyond the cap of feature names is dropped
 * from the event (names are map keys: several features cannot share one), so that the names that
 * reach FeatureMissingRate, drift and the alarm series stay bounded across windows, not only per
 * window and event. Each prediction with a folded value sends that dimension's metric name to
 * {@link #FOLDED} once (ModelVersion, UserSegment, Feature), which data quality counts per window
 * as {@code FoldedDimensionValues}. Feedback carries no dimension of its own (it takes its
 * prediction's) and dead letters none, so both pass unchanged.
 *
 * <p><b>The bound is per subtask.</b> Admission is first come in the order this subtask sees its
 * input, so the job keeps at most parallelism x cap distinct values of a dimension, and exactly the
 * cap when the source runs in one subtask. An exact job-wide cap would need the subtasks to agree
 * on the kept values, which without a feedback loop in the graph they cannot. Subtasks that read
 * similar traffic (Kinesis shards keyed by request) keep the same values; when they do not, a value
 * kept by one subtask and folded by another has its own series for part of its traffic only, and
 * the {@code FoldedDimensionValues} warning says so. The order is the input's within one split, so
 * a replay of the same splits keeps the same values; where a subtask interleaves several splits
 * (Kinesis shards, files), which values come first, and are kept, can differ between runs once more
 * values than the cap arrive together. The bound holds either way.
 *
 * <p>The kept values are operator list state ({@value #STATE_NAME}): a restore gives each subtask
 * the values it kept, and a rescale spreads them over the new subtasks, so no kept value is lost.
 * Not union state: Flink cannot checkpoint union state of a source chain once some of its subtasks
 * have finished (a bounded input whose splits end at different times), and would then take no
 * checkpoint at all.
 */
public class FoldDimensions extends ProcessFunction<InputRecord, InputRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /**
     * The dimension (its metric name) of each prediction with a folded value, once per dimension.
     */
    public static final OutputTag<String> FOLDED =
            new OutputTag<>("folded-dimension-values", Types.STRING);

    /** The dimensions this operator caps, by metric name, in the order they are reported. */
    public static final List<String> DIMENSIONS =
            List.of(MetricNames.MODEL_VERSION, MetricNames.USER_SEGMENT, MetricNames.FEATURE);

    static final String STATE_NAME = "kept-dimension-values";

    private final int maxModelVersions;
    private final int maxSegments;
    private final int maxFeatureNames;
    private final long idleReleaseMillis;

    private transient DimensionCap modelVersions;
    private transient DimensionCap segments;
    private transient DimensionCap featureNames;
    private transient ListState<KeptDimensionValue> checkpointed;
    private transient Counter folded;

    /**
     * @param maxModelVersions distinct model versions kept per subtask
     * @param maxSegments distinct user segments kept per subtask
     * @param maxFeatureNames distinct feature names kept per subtask
     * @param idleReleaseMillis event time after which an unseen kept value may be replaced (0:
     *     never)
     */
    public FoldDimensions(
            int maxModelVersions, int maxSegments, int maxFeatureNames, long idleReleaseMillis) {
        this.maxModelVersions = maxModelVersions;
        this.maxSegments = maxSegments;
        this.maxFeatureNames = maxFeatureNames;
        this.idleReleaseMillis = idleReleaseMillis;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        modelVersions = new DimensionCap(maxModelVersions, idleReleaseMillis);
        segments = new DimensionCap(maxSegments, idleReleaseMillis);
        featureNames = new DimensionCap(maxFeatureNames, idleReleaseMillis);
        checkpointed =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        STATE_NAME, TypeInformation.of(KeptDimensionValue.class)));
        if (!context.isRestored()) {
            return;
        }
        Map<String, Map<String, Long>> restored = new HashMap<>();
        for (KeptDimensionValue kept : checkpointed.get()) {
            // After a rescale the same value may come from several subtasks.
            restored.computeIfAbsent(kept.dimension, d -> new HashMap<>())
                    .merge(kept.value, kept.lastSeen, Math::max);
        }
        for (String dimension : DIMENSIONS) {
            Map<String, Long> values = restored.get(dimension);
            if (values != null) {
                cap(dimension).restore(values);
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<KeptDimensionValue> kept = new ArrayList<>();
        for (String dimension : DIMENSIONS) {
            for (Map.Entry<String, Long> e : cap(dimension).kept().entrySet()) {
                kept.add(new KeptDimensionValue(dimension, e.getKey(), e.getValue()));
            }
        }
        checkpointed.update(kept);
    }

    private DimensionCap cap(String dimension) {
        switch (dimension) {
            case MetricNames.MODEL_VERSION:
                return modelVersions;
            case MetricNames.USER_SEGMENT:
                return segments;
            default:
                return featureNames;
        }
    }

    @Override
    public void open(OpenContext openContext) {
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
        boolean featuresDropped =
                !admitAll(p.numericFeatures.keySet(), p.eventTime)
                        | !admitAll(p.categoricalFeatures.keySet(), p.eventTime)
                        | !admitAll(p.nullFeatures, p.eventTime);
        if (!modelFolded && !segmentFolded && !featuresDropped) {
            out.collect(record);
            return;
        }
        if (modelFolded) {
            fold(ctx, MetricNames.MODEL_VERSION);
        }
        if (segmentFolded) {
            fold(ctx, MetricNames.USER_SEGMENT);
        }
        if (featuresDropped) {
            fold(ctx, MetricNames.FEATURE);
        }
        PredictionEvent copy = withDimensions(p, model, segment);
        if (featuresDropped) {
            copy.numericFeatures = keptOnly(p.numericFeatures);
            copy.categoricalFeatures = keptOnly(p.categoricalFeatures);
            copy.nullFeatures = new ArrayList<>(p.nullFeatures);
            copy.nullFeatures.removeIf(name -> !featureNames.isKept(name));
        }
        out.collect(InputRecord.of(copy));
    }

    /** Admits every name it can; false if some name was beyond the cap. */
    private boolean admitAll(Collection<String> names, long eventTime) {
        boolean all = true;
        for (String name : names) {
            // Not &&: every name gets its chance at a place.
            all &= featureNames.keep(name, eventTime);
        }
        return all;
    }

    private <V> HashMap<String, V> keptOnly(Map<String, V> features) {
        HashMap<String, V> kept = new HashMap<>();
        for (Map.Entry<String, V> e : features.entrySet()) {
            if (featureNames.isKept(e.getKey())) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return kept;
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

        /** Event time the value was last seen at (first kept at, without idle release), ms. */
        public long lastSeen;

        public KeptDimensionValue() {}

        public KeptDimensionValue(String dimension, String value, long lastSeen) {
            this.dimension = dimension;
            this.value = value;
            this.lastSeen = lastSeen;
        }
    }
}
