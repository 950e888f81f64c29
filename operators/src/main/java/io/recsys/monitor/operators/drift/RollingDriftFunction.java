package io.recsys.monitor.operators.drift;

import static org.apache.flink.util.Preconditions.checkArgument;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import java.util.ArrayList;
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
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolling drift per drift unit ({@link DriftUnit}: a feature of a model version, or its event count
 * and scores) against the broadcast reference profiles. The key is {@link DriftUnit#key}; a key
 * without a unit stands for a whole model version (its panes hold every unit), which tests use.
 *
 * <p>Events come sketched into per-pane {@link PaneSketch}es (one pane per slide, aligned to the
 * epoch) by the subtasks before the shuffle ({@link DriftPreAggregation}) and divided into units
 * ({@link DriftPaneSplit}), as {@link DriftUnitPartial}s: a few per pane, unit and subtask, or one
 * per event that came late there. When the watermark passes a slide boundary E, an event-time timer
 * merges the unit's panes of [E - window, E) and {@link WindowDriftEvaluator#evaluatePart} compares
 * them with the reference, deciding drift on the full window and on its most recent panes (the
 * recent windows, merged in time order as well); the resulting {@link WindowDriftPart}, stamped
 * with the window end, goes to {@link ModelDriftCombiner}, which makes the model version's reports
 * and metric points from the parts of its units. Panes that no later window needs are then removed,
 * and the next boundary's timer is registered while panes remain, so windows keep sliding as in
 * Flink's sliding windows (a window with no values of the unit gives nothing). Each event is stored
 * once, not once per window as a sliding window would.
 *
 * <p>Keying by unit spreads the work of one model version (about three quarters of it the KS and
 * chi-square evaluation, a fifth merging panes, all per window) over the subtasks: each feature's
 * windows are merged and judged where its key is. A feature is judged with the profile's number of
 * tests for the false-alarm budget, so it needs no other feature's result.
 *
 * <p>State per unit: the panes from the oldest window still to fire up to the newest value, so
 * about {@code (window + watermark lag) / slide + 1} panes and never more than {@link #maxPanes()}
 * ({@code window / slide + }{@value #EXTRA_PANES}). A partial for a pane that every window has
 * already passed is late and its events dropped ({@code driftLateEvents}); one that would open a
 * pane beyond the limit is dropped ({@code driftDroppedEvents}). Only the model unit carries the
 * event count, so these count events as before. The limit is counted per unit: the model unit holds
 * a pane whenever any unit does, so the model unit drops what the model version dropped before, and
 * a feature unit, holding at most as many panes, drops no more than that.
 *
 * <p>Panes are written behind: a partial goes into a heap delta of its pane ({@link PendingPanes}),
 * and each timer first merges its unit's deltas into the panes in keyed state, the parts of a pane
 * in the order of their source subtask. On RocksDB (what Managed Service for Apache Flink runs) a
 * read or write of a pane (de)serializes its sketches. The deltas are checkpointed as union
 * operator state ({@link #PENDING_PARTS}); a restore, at any parallelism, keeps those of the
 * instance's own key groups, whose timers Flink restores as keyed state, so that every delta is
 * written once. What the previous release's operator (keyed by model version) held comes once,
 * handed on by {@link DriftStateHandOff} as restored panes, parts and timers of each unit.
 *
 * <p>References arrive on the broadcast input as {@link ReferenceUpdate}s. Each model's profile is
 * kept in broadcast state as JSON (checkpointed, identical on every instance) and parsed once per
 * instance into a cache; a new file replaces the profiles of the models it names and takes effect
 * for the next window. A model version without a profile uses the {@link ReferenceProfile#DEFAULT}
 * one; with neither, the model unit's part says {@link DriftReport#NO_REFERENCE}. A file that does
 * not parse is logged and ignored: the profiles in force stay.
 */
public class RollingDriftFunction
        extends KeyedBroadcastProcessFunction<
                String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RollingDriftFunction.class);

    /**
     * Panes that may be open beyond one window: events run ahead of the watermark by the
     * out-of-orderness on a live stream, but by hours of event time in a fast replay (watermarks
     * are emitted every 200 ms of wall-clock time) and before the first reference is read.
     */
    static final int EXTRA_PANES = 288;

    /** Model version (or {@code default}) to that model's profile, as single-model JSON. */
    public static final MapStateDescriptor<String, String> REFERENCES =
            new MapStateDescriptor<>("drift-references", Types.STRING, Types.STRING);

    /** Pane start to its sketch, per unit (per model version in the previous release). */
    static final MapStateDescriptor<Long, PaneSketch> PANES =
            new MapStateDescriptor<>(
                    "drift-panes", LongSerializer.INSTANCE, PaneSketchSerializer.INSTANCE);

    /**
     * The pending parts at a checkpoint, as (key, pane start, source subtask, part). Union state: a
     * restore at another parallelism hands every instance all entries, and each keeps those of its
     * own key groups.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final ListStateDescriptor<Tuple4<String, Long, Integer, PaneSketch>> PENDING_PARTS =
            new ListStateDescriptor<>(
                    "drift-pending-pane-parts",
                    new TupleSerializer<Tuple4<String, Long, Integer, PaneSketch>>(
                            (Class) Tuple4.class,
                            new TypeSerializer<?>[] {
                                StringSerializer.INSTANCE,
                                LongSerializer.INSTANCE,
                                IntSerializer.INSTANCE,
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
    private transient ListState<Tuple4<String, Long, Integer, PaneSketch>> checkpointedParts;
    private transient DriftReferences cache;
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

    /** Most panes held per unit (per model version by the pre-aggregation). */
    public int maxPanes() {
        return (int) (windowMillis / slideMillis) + EXTRA_PANES;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new PendingPanes();
        checkpointedParts = context.getOperatorStateStore().getUnionListState(PENDING_PARTS);
        if (!context.isRestored()) {
            return;
        }
        for (Tuple4<String, Long, Integer, PaneSketch> part : checkpointedParts.get()) {
            if (owns(getRuntimeContext().getTaskInfo(), part.f0)) {
                pending.restore(part.f0, part.f1, part.f2, part.f3);
            }
        }
    }

    /**
     * Whether the key's key group is {@code task}'s: the key's timers are keyed state, restored
     * with the key, and the next one writes its delta.
     */
    static boolean owns(TaskInfo task, String key) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(
                        key,
                        task.getMaxNumberOfParallelSubtasks(),
                        task.getNumberOfParallelSubtasks())
                == task.getIndexOfThisSubtask();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<Tuple4<String, Long, Integer, PaneSketch>> parts = new ArrayList<>(pending.size());
        for (Map.Entry<String, Map<Long, TreeMap<Integer, PaneSketch>>> model :
                pending.all().entrySet()) {
            for (Map.Entry<Long, TreeMap<Integer, PaneSketch>> pane : model.getValue().entrySet()) {
                for (Map.Entry<Integer, PaneSketch> part : pane.getValue().entrySet()) {
                    parts.add(
                            Tuple4.of(
                                    model.getKey(), pane.getKey(), part.getKey(), part.getValue()));
                }
            }
        }
        // The operator state backend copies the list (and so the sketches) before returning.
        checkpointedParts.update(parts);
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
            DriftUnitPartial partial, ReadOnlyContext ctx, Collector<WindowDriftPart> out)
            throws Exception {
        String key = ctx.getCurrentKey();
        switch (partial.kind) {
            case RESTORED_PANE:
                // Into keyed state as the previous release held it: before any delta of this run.
                PaneSketch held = panes.get(partial.paneStart);
                if (held == null) {
                    panes.put(partial.paneStart, partial.sketch);
                } else {
                    held.merge(partial.sketch);
                    panes.put(partial.paneStart, held);
                }
                return;
            case RESTORED_PART:
                pending.restore(key, partial.paneStart, partial.source, partial.sketch);
                return;
            case RESTORED_TIMER:
                ctx.timerService().registerEventTimeTimer(partial.paneStart);
                return;
            default:
                break;
        }
        long pane = partial.paneStart - Math.floorMod(partial.paneStart, slideMillis);
        long watermark = ctx.timerService().currentWatermark();
        if (pane + windowMillis - 1 <= watermark) {
            late.inc(partial.sketch.events());
            return;
        }
        if (!pending.has(key, pane)) {
            // The pane's first partial since its last write: the only one that reads keyed state.
            if (!panes.contains(pane) && pending.held(key, panes.keys()) >= maxPanes()) {
                dropped.inc(partial.sketch.events());
                return;
            }
            // Later partials of the delta register none: any timer of this key writes the delta,
            // so while it lives this timer is pending, and it is the one the rule would give them.
            long timer = pane + slideMillis - 1;
            if (watermark != Long.MIN_VALUE && timer <= watermark) {
                // The pane's first windows have fired: join the next boundary, never re-fire one.
                timer = Math.floorDiv(watermark + 1, slideMillis) * slideMillis + slideMillis - 1;
            }
            ctx.timerService().registerEventTimeTimer(timer);
        }
        pending.add(key, pane, partial.source, partial.sketch);
    }

    /**
     * Merges the pending deltas of {@code key}, which must be the current key, into its panes in
     * keyed state.
     */
    void writePending(String key) throws Exception {
        for (Map.Entry<Long, PaneSketch> delta : pending.drain(key).entrySet()) {
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
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowDriftPart> out)
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
        if (window.isEmpty()) {
            return;
        }
        String modelVersion = DriftUnit.modelVersionOf(ctx.getCurrentKey());
        DriftReferences.InForce reference =
                profileFor(modelVersion, ctx.getBroadcastState(REFERENCES));
        WindowDriftPart part =
                evaluator.evaluatePart(
                        modelVersion,
                        start,
                        end,
                        window,
                        recent,
                        reference == null ? null : reference.profile,
                        reference == null ? null : reference.version);
        if (!part.isEmpty()) {
            out.collect(part);
        }
    }

    @Override
    public void processBroadcastElement(
            ReferenceUpdate update, Context ctx, Collector<WindowDriftPart> out) throws Exception {
        BroadcastState<String, String> state = ctx.getBroadcastState(REFERENCES);
        ensureLoaded(state);
        Map<String, String> models = cache.apply(update);
        if (models.isEmpty()) {
            return;
        }
        state.putAll(models);
        LOG.info(
                "event=drift_reference_loaded models={} source=\"{}\"",
                models.keySet(),
                update.source);
    }

    private DriftReferences.InForce profileFor(
            String modelVersion, ReadOnlyBroadcastState<String, String> state) throws Exception {
        ensureLoaded(state);
        return cache.forModel(modelVersion);
    }

    /** After a restore the cache is empty while the broadcast state holds the profiles. */
    private void ensureLoaded(ReadOnlyBroadcastState<String, String> state) throws Exception {
        if (cache != null) {
            return;
        }
        cache = new DriftReferences();
        for (Map.Entry<String, String> e : state.immutableEntries()) {
            cache.load(e.getKey(), e.getValue());
        }
    }
}
