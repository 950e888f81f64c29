package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.ReferenceUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The drift operator of the previous releases ({@code drift-per-model-version}, keyed by model
 * version), kept to restore their savepoints: it reads what that operator held and hands it on,
 * once, to the rolling drift stage keyed by model version and unit ({@link RollingDriftFunction}),
 * so that no pane, pending part, timer or reference is lost. On a fresh start it holds nothing and
 * sends nothing.
 *
 * <p>What it hands on, each divided into units ({@link PaneSketch#splitIntoUnits}): every pane in
 * keyed state as a {@link DriftUnitPartial.Kind#RESTORED_PANE} (straight into the unit's keyed
 * state: merging with this run's parts of a pane is order-sensitive, and those merge into the pane
 * after it, as they would have), every pending part as a {@link
 * DriftUnitPartial.Kind#RESTORED_PART} with its source (merged before this run's parts of the same
 * source), every event-time timer of a model version as a {@link
 * DriftUnitPartial.Kind#RESTORED_TIMER} to each of its units (the windows up to a timer have fired;
 * a unit registering its own first timer would fire them again), and the reference profiles of its
 * broadcast state on the {@link #REFERENCES} side output, for the rolling drift stage's broadcast
 * input (a bounded reference source that had ended before the savepoint sends them no more).
 *
 * <p>It hands on before the first watermark it forwards (or on its input's first element or end):
 * the rolling drift stage's watermark waits for this operator's, so every restored record is there
 * before any of its timers can fire. Its input is the reference stream under a single key, for the
 * keyed state and the watermark, and is otherwise ignored. Until it has handed on, a checkpoint
 * keeps what it read; after, it holds nothing.
 */
public final class DriftStateHandOff extends AbstractStreamOperator<DriftUnitPartial>
        implements OneInputStreamOperator<ReferenceUpdate, DriftUnitPartial>,
                Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    /** The reference profiles of the previous release's broadcast state, as one file per model. */
    public static final OutputTag<ReferenceUpdate> REFERENCES =
            new OutputTag<>(
                    "drift-restored-references", TypeInformation.of(ReferenceUpdate.class)) {
                private static final long serialVersionUID = 1L;
            };

    /** Where the handed-on profiles say they came from. */
    static final String RESTORED_SOURCE = "drift state of the previous release";

    /**
     * The pending deltas at a checkpoint of the release before the previous one, as (model version,
     * pane start, delta): read as parts of source {@link PendingPanes#MERGED_SOURCES}.
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

    private transient boolean handedOn;
    private transient List<Tuple4<String, Long, Integer, PaneSketch>> restoredParts;
    private transient ListState<Tuple4<String, Long, Integer, PaneSketch>> checkpointedParts;
    private transient BroadcastState<String, String> references;
    private transient InternalTimerService<VoidNamespace> timers;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restoredParts = new ArrayList<>();
        ListState<Tuple3<String, Long, PaneSketch>> oldest =
                context.getOperatorStateStore().getUnionListState(PENDING);
        checkpointedParts =
                context.getOperatorStateStore()
                        .getUnionListState(RollingDriftFunction.PENDING_PARTS);
        references =
                context.getOperatorStateStore().getBroadcastState(RollingDriftFunction.REFERENCES);
        handedOn = !context.isRestored();
        if (handedOn) {
            return;
        }
        for (Tuple3<String, Long, PaneSketch> delta : oldest.get()) {
            if (RollingDriftFunction.owns(getRuntimeContext().getTaskInfo(), delta.f0)) {
                restoredParts.add(
                        Tuple4.of(delta.f0, delta.f1, PendingPanes.MERGED_SOURCES, delta.f2));
            }
        }
        oldest.clear();
        for (Tuple4<String, Long, Integer, PaneSketch> part : checkpointedParts.get()) {
            if (RollingDriftFunction.owns(getRuntimeContext().getTaskInfo(), part.f0)) {
                restoredParts.add(part);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // Before the hand-off, what was read stays; after it, nothing is held.
        checkpointedParts.update(handedOn ? List.of() : restoredParts);
    }

    @Override
    public void processElement(StreamRecord<ReferenceUpdate> element) throws Exception {
        handOn();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        handOn();
        super.processWatermark(mark);
    }

    @Override
    public void finish() throws Exception {
        handOn();
        super.finish();
    }

    /** Sends on everything restored, once, and forgets it. */
    void handOn() throws Exception {
        if (handedOn) {
            return;
        }
        handedOn = true;
        for (Map.Entry<String, String> model : references.entries()) {
            output.collect(
                    REFERENCES,
                    new StreamRecord<>(new ReferenceUpdate(RESTORED_SOURCE, model.getValue())));
        }
        references.clear();

        Map<String, Set<String>> units = new TreeMap<>();
        Map<String, TreeMap<Long, PaneSketch>> panes = new TreeMap<>();
        this.<String>getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        RollingDriftFunction.PANES,
                        (String model, MapState<Long, PaneSketch> state) -> {
                            TreeMap<Long, PaneSketch> held = new TreeMap<>();
                            for (Map.Entry<Long, PaneSketch> pane : state.entries()) {
                                held.put(pane.getKey(), pane.getValue());
                            }
                            panes.put(model, held);
                        });
        for (Map.Entry<String, TreeMap<Long, PaneSketch>> model : panes.entrySet()) {
            for (Map.Entry<Long, PaneSketch> pane : model.getValue().entrySet()) {
                emit(
                        units,
                        DriftUnitPartial.Kind.RESTORED_PANE,
                        model.getKey(),
                        pane.getKey(),
                        0,
                        pane.getValue());
            }
            setCurrentKey(model.getKey());
            getPartitionedState(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            RollingDriftFunction.PANES)
                    .clear();
        }
        for (Tuple4<String, Long, Integer, PaneSketch> part : restoredParts) {
            emit(units, DriftUnitPartial.Kind.RESTORED_PART, part.f0, part.f1, part.f2, part.f3);
        }
        restoredParts.clear();

        Map<String, List<Long>> timersByModel = new LinkedHashMap<>();
        timers.forEachEventTimeTimer(
                (namespace, time) ->
                        timersByModel
                                .computeIfAbsent((String) getCurrentKey(), m -> new ArrayList<>())
                                .add(time));
        for (Map.Entry<String, List<Long>> model : timersByModel.entrySet()) {
            setCurrentKey(model.getKey());
            for (long time : model.getValue()) {
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
                for (String unit : units.getOrDefault(model.getKey(), Set.of())) {
                    output.collect(
                            new StreamRecord<>(
                                    new DriftUnitPartial(
                                            DriftUnitPartial.Kind.RESTORED_TIMER,
                                            model.getKey(),
                                            unit,
                                            time,
                                            0,
                                            new PaneSketch(1))));
                }
            }
        }
    }

    private void emit(
            Map<String, Set<String>> units,
            DriftUnitPartial.Kind kind,
            String model,
            long pane,
            int source,
            PaneSketch sketch) {
        for (Map.Entry<String, PaneSketch> unit : sketch.splitIntoUnits().entrySet()) {
            units.computeIfAbsent(model, m -> new LinkedHashSet<>()).add(unit.getKey());
            output.collect(
                    new StreamRecord<>(
                            new DriftUnitPartial(
                                    kind, model, unit.getKey(), pane, source, unit.getValue())));
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        // The previous release's timers are handed on and deleted; none is left to fire.
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
}
