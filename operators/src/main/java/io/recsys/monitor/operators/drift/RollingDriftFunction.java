package io.recsys.monitor.operators.drift;

import static org.apache.flink.util.Preconditions.checkArgument;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolling drift per model version (the key) against the broadcast reference profiles.
 *
 * <p>Events go into per-pane {@link PaneSketch}es (one pane per slide, aligned to the epoch). When
 * the watermark passes a slide boundary E, an event-time timer merges the panes of [E - window, E)
 * and {@link WindowDriftEvaluator} compares them with the reference, deciding drift on the full
 * window and on its most recent panes (the recent windows, merged in time order as well): drift
 * reports are the main output, metric points the {@link #METRICS} side output, all stamped with the
 * window end. Panes that no later window needs are then removed, and the next boundary's timer is
 * registered while panes remain, so windows keep sliding as in Flink's sliding windows (a window
 * with no events emits nothing). Each event is stored once, not once per window as a sliding window
 * would.
 *
 * <p>State per model version: the panes from the oldest window still to fire up to the newest
 * event, so about {@code (window + watermark lag) / slide + 1} panes (13 to 14 on a live stream
 * with the default 1 h / 5 min and 30 s out-of-orderness) and never more than {@link #maxPanes()}
 * ({@code window / slide + }{@value #EXTRA_PANES}); each pane holds one bounded sketch per feature
 * of the reference (at most 200 features while no reference is known; {@link PaneSketch}). An event
 * for a pane that every window has already passed is late and dropped ({@code driftLateEvents});
 * one that would open a pane beyond the limit is dropped ({@code driftDroppedEvents}).
 *
 * <p>Panes are written behind: an event goes into a heap delta of its pane ({@link PendingPanes}),
 * and each timer first merges its model version's deltas into the panes in keyed state. On RocksDB
 * (what Managed Service for Apache Flink runs) a read or write of a pane (de)serializes kilobytes
 * of sketches; done per event, that kept a subtask 358 to 496 ms per second busy at 1,500 job input
 * events/s. Written behind, a pane is read and written about once per slide, plus once by the first
 * event of each pane since its last write (the pane limit, counting deltas as panes, and the pane's
 * timer). The deltas are checkpointed as union operator state ({@link #PENDING}); a restore, at any
 * parallelism, keeps those of the instance's own key groups, whose timers Flink restores as keyed
 * state, so that every delta is written once.
 *
 * <p>References arrive on the broadcast input as {@link ReferenceUpdate}s. Each model's profile is
 * kept in broadcast state as JSON (checkpointed, identical on every instance) and parsed once per
 * instance into a cache; a new file replaces the profiles of the models it names and takes effect
 * for the next window. A model version without a profile uses the {@link ReferenceProfile#DEFAULT}
 * one; with neither, the window's report says {@link DriftReport#NO_REFERENCE}. A file that does
 * not parse is logged and ignored: the profiles in force stay.
 */
public class RollingDriftFunction
        extends KeyedBroadcastProcessFunction<String, PredictionEvent, ReferenceUpdate, DriftReport>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RollingDriftFunction.class);

    /**
     * Panes that may be open beyond one window: events run ahead of the watermark by the
     * out-of-orderness on a live stream, but by hours of event time in a fast replay (watermarks
     * are emitted every 200 ms of wall-clock time) and before the first reference is read.
     */
    static final int EXTRA_PANES = 288;

    public static final OutputTag<MetricPoint> METRICS =
            new OutputTag<MetricPoint>("drift-metrics") {
                private static final long serialVersionUID = 1L;
            };

    /** Model version (or {@code default}) to that model's profile, as single-model JSON. */
    public static final MapStateDescriptor<String, String> REFERENCES =
            new MapStateDescriptor<>("drift-references", Types.STRING, Types.STRING);

    /** Pane start to its sketch, per model version. */
    static final MapStateDescriptor<Long, PaneSketch> PANES =
            new MapStateDescriptor<>(
                    "drift-panes", LongSerializer.INSTANCE, PaneSketchSerializer.INSTANCE);

    /**
     * The pending deltas at a checkpoint, as (model version, pane start, delta). Union state: a
     * restore at another parallelism hands every instance all entries, and each keeps those of its
     * own key groups.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final ListStateDescriptor<Tuple3<String, Long, PaneSketch>> PENDING =
            new ListStateDescriptor<>(
                    "drift-pending-panes",
                    new TupleSerializer<Tuple3<String, Long, PaneSketch>>(
                            (Class) Tuple3.class,
                            new TypeSerializer<?>[] {
                                StringSerializer.INSTANCE,
                                LongSerializer.INSTANCE,
                                PaneSketchSerializer.INSTANCE
                            }));

    private final long windowMillis;
    private final long slideMillis;
    private final int maxCategories;
    private final int exactValues;
    private final long[] recentWindowMillis;
    private final DriftRules rules;
    private final String namespace;

    private transient MapState<Long, PaneSketch> panes;
    private transient PendingPanes pending;
    private transient ListState<Tuple3<String, Long, PaneSketch>> checkpointedPending;
    private transient Map<String, CachedProfile> cache;
    private transient WindowDriftEvaluator evaluator;
    private transient Counter late;
    private transient Counter dropped;

    /**
     * With {@link PaneSketch#DEFAULT_EXACT_VALUES} values kept exactly per quantity and pane, drift
     * decided on the full window alone.
     */
    public RollingDriftFunction(
            long windowMillis,
            long slideMillis,
            int maxCategories,
            DriftRules rules,
            String namespace) {
        this(
                windowMillis,
                slideMillis,
                maxCategories,
                PaneSketch.DEFAULT_EXACT_VALUES,
                new long[0],
                rules,
                namespace);
    }

    /**
     * @param exactValues values kept exactly per numerical quantity and pane, beyond which the pane
     *     keeps a sample of that many ({@link NumericSample})
     * @param recentWindowMillis lengths of the recent windows on which drift is decided as well as
     *     on the full window: multiples of the slide, shorter than the window
     */
    public RollingDriftFunction(
            long windowMillis,
            long slideMillis,
            int maxCategories,
            int exactValues,
            long[] recentWindowMillis,
            DriftRules rules,
            String namespace) {
        for (long recent : recentWindowMillis) {
            checkArgument(
                    recent >= slideMillis && recent < windowMillis && recent % slideMillis == 0,
                    "a recent drift window must be a multiple of the slide shorter than the"
                            + " window, got %s ms",
                    recent);
        }
        checkArgument(exactValues >= 1, "drift exact values must be positive, got %s", exactValues);
        checkArgument(
                slideMillis > 0 && windowMillis >= slideMillis && windowMillis % slideMillis == 0,
                "the drift window must be a positive multiple of the slide, got %s ms and %s ms",
                windowMillis,
                slideMillis);
        this.windowMillis = windowMillis;
        this.slideMillis = slideMillis;
        this.maxCategories = maxCategories;
        this.exactValues = exactValues;
        this.recentWindowMillis = recentWindowMillis.clone();
        this.rules = rules;
        this.namespace = namespace;
    }

    /** Most panes held per model version. */
    public int maxPanes() {
        return (int) (windowMillis / slideMillis) + EXTRA_PANES;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new PendingPanes(maxCategories, exactValues);
        checkpointedPending = context.getOperatorStateStore().getUnionListState(PENDING);
        if (!context.isRestored()) {
            return;
        }
        TaskInfo task = getRuntimeContext().getTaskInfo();
        for (Tuple3<String, Long, PaneSketch> delta : checkpointedPending.get()) {
            int owner =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            delta.f0,
                            task.getMaxNumberOfParallelSubtasks(),
                            task.getNumberOfParallelSubtasks());
            // The key's timers are keyed state, restored with the key: the next one writes it.
            if (owner == task.getIndexOfThisSubtask()) {
                pending.restore(delta.f0, delta.f1, delta.f2);
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<Tuple3<String, Long, PaneSketch>> deltas = new ArrayList<>(pending.size());
        for (Map.Entry<String, Map<Long, PaneSketch>> model : pending.all().entrySet()) {
            for (Map.Entry<Long, PaneSketch> pane : model.getValue().entrySet()) {
                deltas.add(Tuple3.of(model.getKey(), pane.getKey(), pane.getValue()));
            }
        }
        // The operator state backend copies the list (and so the sketches) before returning.
        checkpointedPending.update(deltas);
    }

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext().getMapState(PANES);
        evaluator = new WindowDriftEvaluator(rules, namespace, slideMillis);
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
        late = metrics.counter("driftLateEvents");
        dropped = metrics.counter("driftDroppedEvents");
    }

    @Override
    public void processElement(
            PredictionEvent event, ReadOnlyContext ctx, Collector<DriftReport> out)
            throws Exception {
        long t = event.eventTime;
        long pane = t - Math.floorMod(t, slideMillis);
        long watermark = ctx.timerService().currentWatermark();
        if (pane + windowMillis - 1 <= watermark) {
            late.inc();
            return;
        }
        String modelVersion = ctx.getCurrentKey();
        PaneSketch delta = pending.get(modelVersion, pane);
        if (delta == null) {
            // The pane's first event since its last write: the only one that reads keyed state.
            if (!panes.contains(pane) && pending.held(modelVersion, panes.keys()) >= maxPanes()) {
                dropped.inc();
                return;
            }
            delta = pending.open(modelVersion, pane);
            // Later events of the delta register none: any timer of this key writes the delta, so
            // while it lives this timer is pending, and it is the one the rule would give them.
            long timer = pane + slideMillis - 1;
            if (watermark != Long.MIN_VALUE && timer <= watermark) {
                // The pane's first windows have fired: join the next boundary, never re-fire one.
                timer = Math.floorDiv(watermark + 1, slideMillis) * slideMillis + slideMillis - 1;
            }
            ctx.timerService().registerEventTimeTimer(timer);
        }
        CachedProfile reference = profileFor(modelVersion, ctx.getBroadcastState(REFERENCES));
        delta.add(event, reference == null ? null : reference.profile);
    }

    /**
     * Merges the pending deltas of {@code modelVersion}, which must be the current key, into its
     * panes in keyed state.
     */
    void writePending(String modelVersion) throws Exception {
        for (Map.Entry<Long, PaneSketch> delta : pending.drain(modelVersion).entrySet()) {
            PaneSketch pane = panes.get(delta.getKey());
            if (pane == null) {
                pane = delta.getValue();
            } else {
                pane.merge(delta.getValue());
            }
            panes.put(delta.getKey(), pane);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DriftReport> out)
            throws Exception {
        // First, so that the window and the expiry below see every event of the key so far.
        writePending(ctx.getCurrentKey());
        long end = timestamp + 1;
        long start = end - windowMillis;
        long nextStart = start + slideMillis;
        // The window keeps what its panes kept; panes merge in time order, so that the categories
        // a full window folds into __other__ do not depend on the state backend's map order.
        PaneSketch window = new PaneSketch(maxCategories, Integer.MAX_VALUE);
        List<Long> expired = new ArrayList<>();
        boolean nextHasData = false;
        TreeMap<Long, PaneSketch> inWindow = new TreeMap<>();
        for (Map.Entry<Long, PaneSketch> e : panes.entries()) {
            long pane = e.getKey();
            if (pane >= start && pane < end) {
                inWindow.put(pane, e.getValue());
            }
            if (pane < nextStart) {
                expired.add(pane);
            } else if (pane < end + slideMillis) {
                nextHasData = true;
            }
        }
        inWindow.values().forEach(window::merge);
        List<WindowDriftEvaluator.RecentWindow> recent = new ArrayList<>(recentWindowMillis.length);
        for (long length : recentWindowMillis) {
            PaneSketch part = new PaneSketch(maxCategories, Integer.MAX_VALUE);
            inWindow.tailMap(end - length).values().forEach(part::merge);
            recent.add(new WindowDriftEvaluator.RecentWindow(length, part));
        }
        for (Long pane : expired) {
            panes.remove(pane);
        }
        if (nextHasData) {
            ctx.timerService().registerEventTimeTimer(end + slideMillis - 1);
        }
        if (window.events() == 0) {
            return;
        }
        CachedProfile reference =
                profileFor(ctx.getCurrentKey(), ctx.getBroadcastState(REFERENCES));
        WindowDriftEvaluator.Outcome outcome =
                evaluator.evaluate(
                        ctx.getCurrentKey(),
                        start,
                        end,
                        window,
                        recent,
                        reference == null ? null : reference.profile,
                        reference == null ? null : reference.version);
        outcome.reports.forEach(out::collect);
        outcome.metrics.forEach(point -> ctx.output(METRICS, point));
    }

    @Override
    public void processBroadcastElement(
            ReferenceUpdate update, Context ctx, Collector<DriftReport> out) throws Exception {
        BroadcastState<String, String> state = ctx.getBroadcastState(REFERENCES);
        ensureLoaded(state);
        ReferenceProfile profile;
        try {
            profile = ReferenceProfileJson.read(update.json == null ? "" : update.json);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "event=drift_reference_rejected source=\"{}\" reason=\"{}\"",
                    update.source,
                    e.getMessage());
            return;
        }
        for (String model : profile.models.keySet()) {
            state.put(model, ReferenceProfileJson.writeModel(profile, model));
            cache.put(
                    model, new CachedProfile(profile.referenceVersion, profile.models.get(model)));
        }
        LOG.info(
                "event=drift_reference_loaded reference_version=\"{}\" models={} source=\"{}\"",
                profile.referenceVersion,
                profile.models.keySet(),
                update.source);
    }

    private CachedProfile profileFor(
            String modelVersion, ReadOnlyBroadcastState<String, String> state) throws Exception {
        ensureLoaded(state);
        return cache.getOrDefault(modelVersion, cache.get(ReferenceProfile.DEFAULT));
    }

    /** After a restore the cache is empty while the broadcast state holds the profiles. */
    private void ensureLoaded(ReadOnlyBroadcastState<String, String> state) throws Exception {
        if (cache != null) {
            return;
        }
        cache = new HashMap<>();
        for (Map.Entry<String, String> e : state.immutableEntries()) {
            try {
                ReferenceProfile profile = ReferenceProfileJson.read(e.getValue());
                ModelProfile model = profile.models.get(e.getKey());
                if (model != null) {
                    cache.put(e.getKey(), new CachedProfile(profile.referenceVersion, model));
                }
            } catch (IllegalArgumentException ex) {
                LOG.warn("event=drift_reference_unreadable model=\"{}\"", e.getKey());
            }
        }
    }

    /** A parsed model profile and the version of the reference it came from. */
    static final class CachedProfile {
        final String version;
        final ModelProfile profile;

        CachedProfile(String version, ModelProfile profile) {
            this.version = version;
            this.profile = profile;
        }
    }
}
