package io.recsys.monitor.operators.drift;

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
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
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
 * and {@link WindowDriftEvaluator} compares them with the reference: drift reports are the main
 * output, metric points the {@link #METRICS} side output, all stamped with the window end. Panes
 * that no later window needs are then removed, and the next boundary's timer is registered while
 * panes remain, so windows keep sliding as in Flink's sliding windows (a window with no events
 * emits nothing). Each event is stored once, not once per window as a sliding window would.
 *
 * <p>State per model version: the panes from the oldest window still to fire up to the newest
 * event, so about {@code (window + watermark lag) / slide + 1} panes (13 to 14 on a live stream
 * with the default 1 h / 5 min and 30 s out-of-orderness) and never more than {@link #maxPanes()}
 * ({@code window / slide + }{@value #EXTRA_PANES}); each pane holds one bounded sketch per feature
 * of the reference (at most 200 features while no reference is known; {@link PaneSketch}). An event
 * for a pane that every window has already passed is late and dropped ({@code driftLateEvents});
 * one that would open a pane beyond the limit is dropped ({@code driftDroppedEvents}).
 *
 * <p>References arrive on the broadcast input as {@link ReferenceUpdate}s. Each model's profile is
 * kept in broadcast state as JSON (checkpointed, identical on every instance) and parsed once per
 * instance into a cache; a new file replaces the profiles of the models it names and takes effect
 * for the next window. A model version without a profile uses the {@link ReferenceProfile#DEFAULT}
 * one; with neither, the window's report says {@link DriftReport#NO_REFERENCE}. A file that does
 * not parse is logged and ignored: the profiles in force stay.
 */
public class RollingDriftFunction
        extends KeyedBroadcastProcessFunction<
                String, PredictionEvent, ReferenceUpdate, DriftReport> {
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

    private final long windowMillis;
    private final long slideMillis;
    private final int maxCategories;
    private final DriftRules rules;
    private final String namespace;

    private transient MapState<Long, PaneSketch> panes;
    private transient Map<String, CachedProfile> cache;
    private transient WindowDriftEvaluator evaluator;
    private transient Counter late;
    private transient Counter dropped;

    public RollingDriftFunction(
            long windowMillis,
            long slideMillis,
            int maxCategories,
            DriftRules rules,
            String namespace) {
        if (slideMillis <= 0 || windowMillis < slideMillis || windowMillis % slideMillis != 0) {
            throw new IllegalArgumentException(
                    "the drift window must be a positive multiple of the slide, got "
                            + windowMillis
                            + " ms and "
                            + slideMillis
                            + " ms");
        }
        this.windowMillis = windowMillis;
        this.slideMillis = slideMillis;
        this.maxCategories = maxCategories;
        this.rules = rules;
        this.namespace = namespace;
    }

    /** Most panes held per model version. */
    public int maxPanes() {
        return (int) (windowMillis / slideMillis) + EXTRA_PANES;
    }

    @Override
    public void open(Configuration parameters) {
        panes = getRuntimeContext().getMapState(PANES);
        evaluator = new WindowDriftEvaluator(rules, namespace);
        late =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("kinesisanalytics")
                        .counter("driftLateEvents");
        dropped =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("kinesisanalytics")
                        .counter("driftDroppedEvents");
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
        PaneSketch sketch = panes.get(pane);
        boolean opened = sketch == null;
        if (opened) {
            int open = 0;
            for (Long ignored : panes.keys()) {
                open++;
            }
            if (open >= maxPanes()) {
                dropped.inc();
                return;
            }
            sketch = new PaneSketch(maxCategories);
        }
        CachedProfile reference =
                profileFor(ctx.getCurrentKey(), ctx.getBroadcastState(REFERENCES));
        sketch.add(event, reference == null ? null : reference.profile);
        panes.put(pane, sketch);
        long timer = pane + slideMillis - 1;
        if (watermark != Long.MIN_VALUE && timer <= watermark) {
            // The pane's first windows have fired: join the next boundary, never re-fire one.
            timer = Math.floorDiv(watermark + 1, slideMillis) * slideMillis + slideMillis - 1;
        } else if (!opened) {
            // Registered by the event that opened the pane (the watermark was no further then)
            // and not fired since: registering it again per event would only cost the lookup.
            return;
        }
        ctx.timerService().registerEventTimeTimer(timer);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DriftReport> out)
            throws Exception {
        long end = timestamp + 1;
        long start = end - windowMillis;
        long nextStart = start + slideMillis;
        PaneSketch window = new PaneSketch(maxCategories);
        List<Long> expired = new ArrayList<>();
        boolean nextHasData = false;
        for (Map.Entry<Long, PaneSketch> e : panes.entries()) {
            long pane = e.getKey();
            if (pane >= start && pane < end) {
                window.merge(e.getValue());
            }
            if (pane < nextStart) {
                expired.add(pane);
            } else if (pane < end + slideMillis) {
                nextHasData = true;
            }
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
                        reference == null ? null : reference.profile,
                        reference == null ? null : reference.version);
        for (DriftReport report : outcome.reports) {
            out.collect(report);
        }
        for (MetricPoint point : outcome.metrics) {
            ctx.output(METRICS, point);
        }
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
        CachedProfile own = cache.get(modelVersion);
        return own != null ? own : cache.get(ReferenceProfile.DEFAULT);
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
