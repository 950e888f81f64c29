package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.drift.RollingDriftWriteBehindTest.Backend;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Snapshots of the keyed drift operator ({@code drift-per-model-version}) written by the previous
 * release (81ec167, which sketched events after the shuffle and checkpointed its pending deltas as
 * {@code drift-pending-panes}; {@code previous-release/DriftStateGeneratorTest.java.txt} wrote
 * them, on the heap and RocksDB backends) restore into the operator that now holds that uid, {@link
 * DriftStateHandOff}, which hands them on to the rolling drift stage keyed by model version and
 * unit ({@link RollingDriftFunction}); with {@link ModelDriftCombiner} after it, that stage goes on
 * to emit the very reports the previous release emitted from the same snapshot and continuation
 * ({@code drift-per-model-version-reports.txt}).
 *
 * <p>At the snapshot, panes 0 and 5 min of v1 and v2 were in keyed state and pending deltas held
 * pane 10 (60 events) and 7 late events of pane 5, so the first window after the restore counts 187
 * events only if every pending delta is read back once. Every pane holds fewer values than {@link
 * PaneSketch#DEFAULT_EXACT_VALUES}, so the sketches are exact and the reports equal.
 */
class DriftPreviousReleaseStateTest {
    private static final long MINUTE = 60_000L;
    private static final long SLIDE = 5 * MINUTE;
    private static final String[] MODELS = {"v1", "v2"};

    private static Path resource(String name) {
        return Path.of(
                DriftPreviousReleaseStateTest.class
                        .getResource("/previous-release/" + name)
                        .getPath());
    }

    /** A report as the generator wrote it, every figure in full. */
    private static String line(DriftReport r) {
        return String.join(
                "|",
                r.modelVersion,
                Long.toString(r.windowStart),
                Long.toString(r.windowEnd),
                r.feature,
                r.test,
                Long.toString(r.nCurrent),
                Long.toString(r.nReference),
                Double.toString(r.statistic),
                Double.toString(r.pValue),
                Double.toString(r.effectSize),
                Double.toString(r.errorBound),
                Boolean.toString(r.drifted),
                String.valueOf(r.severity),
                r.referenceVersion);
    }

    /**
     * Lines by model version, window end, feature and test (the backends fire keys in any order).
     */
    private static Map<String, String> byReport(List<String> lines) {
        Map<String, String> map = new TreeMap<>();
        for (String l : lines) {
            String[] f = l.split("\\|");
            String key = f[0] + "@" + f[2] + "/" + f[3] + "/" + f[4];
            assertThat(map.put(key, l)).as("duplicate " + key).isNull();
        }
        return map;
    }

    /** The previous releases' operator under its uid, keyed as the graph keys it. */
    private static KeyedOneInputStreamOperatorTestHarness<String, ReferenceUpdate, DriftUnitPartial>
            handOff(Backend backend, OperatorSubtaskState snapshot) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ReferenceUpdate, DriftUnitPartial> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new DriftStateHandOff(),
                        (ReferenceUpdate u) -> "",
                        Types.STRING,
                        RollingDriftWriteBehindTest.MAX_PARALLELISM,
                        1,
                        0);
        h.getExecutionConfig().disableGenericTypes();
        if (backend == Backend.ROCKSDB) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.setup(DriftUnitPartial.Serializer.INSTANCE);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    /** The stage keyed by model version and unit, fresh: the previous state comes handed on. */
    private static KeyedBroadcastOperatorTestHarness<
                    String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
            units(Backend backend) throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                h =
                        new KeyedBroadcastOperatorTestHarness<>(
                                new CoBroadcastWithKeyedOperator<>(
                                        new RollingDriftFunction(
                                                60 * MINUTE,
                                                SLIDE,
                                                1000,
                                                DriftRules.defaults(),
                                                "NS"),
                                        Collections.singletonList(RollingDriftFunction.REFERENCES)),
                                DriftUnitPartial::key,
                                Types.STRING,
                                RollingDriftWriteBehindTest.MAX_PARALLELISM,
                                1,
                                0);
        h.getExecutionConfig().disableGenericTypes();
        if (backend == Backend.ROCKSDB) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.setup();
        h.initializeEmptyState();
        h.open();
        return h;
    }

    /** The stage that combines a model version's unit parts into its reports. */
    private static KeyedOneInputStreamOperatorTestHarness<String, WindowDriftPart, DriftReport>
            combiner() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, WindowDriftPart, DriftReport> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new ModelDriftCombiner(DriftRules.defaults(), "NS", SLIDE)),
                        (WindowDriftPart p) -> p.modelVersion,
                        Types.STRING);
        h.setup();
        h.open();
        return h;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theLastReleasesPendingPanesRestoreAndTheWindowsGoOnAsTheyWould(Backend backend)
            throws Exception {
        String name = backend.name().toLowerCase();
        KeyedOneInputStreamOperatorTestHarness<String, ReferenceUpdate, DriftUnitPartial> old =
                handOff(
                        backend,
                        OperatorSnapshotUtil.readStateHandle(
                                resource("drift-per-model-version-" + name + ".snapshot")
                                        .toString()));
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                units = units(backend);
        KeyedOneInputStreamOperatorTestHarness<String, WindowDriftPart, DriftReport> combiner =
                combiner();
        // The reference came before the snapshot and is restored as broadcast state; the
        // pre-aggregation sketches with the same profiles.
        ReferenceProfile reference = DriftTestEvents.reference("ref-a", 2_000, 3);
        ReferenceProfile parsed = ReferenceProfileJson.read(ReferenceProfileJson.write(reference));

        // The generator's continuation, events of minutes 15..30, as one subtask's partial per
        // model version and pane, divided into units as the graph does. Some arrive before the
        // previous state is handed on: they merge after it all the same.
        Random more = new Random(12);
        Map<String, DriftPanePartial> partials = new LinkedHashMap<>();
        for (long t = 15 * MINUTE; t < 30 * MINUTE; t += 5_000) {
            for (String model : MODELS) {
                PredictionEvent e =
                        DriftTestEvents.event(more, model, t, model.equals("v1") ? 0 : 8);
                long pane = t - t % SLIDE;
                partials.computeIfAbsent(
                                model + "@" + pane,
                                k -> new DriftPanePartial(model, pane, 0, new PaneSketch(1000)))
                        .sketch
                        .add(e, parsed.profileFor(model));
            }
        }
        List<DriftUnitPartial> continuation = new ArrayList<>();
        DriftPaneSplit split = new DriftPaneSplit();
        for (DriftPanePartial p : partials.values()) {
            split.flatMap(p, new ListCollector<>(continuation));
        }
        int early = continuation.size() / 2;
        for (DriftUnitPartial p : continuation.subList(0, early)) {
            units.processElement(p, p.paneStart + SLIDE - 1);
        }

        // The first watermark hands the previous state on: references, panes, parts, timers.
        old.processWatermark(15 * MINUTE - 1);
        assertThat(old.getSideOutput(DriftStateHandOff.REFERENCES))
                .extracting(r -> r.getValue().source)
                .containsOnly(DriftStateHandOff.RESTORED_SOURCE)
                .hasSize(MODELS.length);
        for (StreamRecord<ReferenceUpdate> r : old.getSideOutput(DriftStateHandOff.REFERENCES)) {
            units.processBroadcastElement(r.getValue(), 0L);
        }
        units.processBroadcastWatermark(Long.MAX_VALUE);
        List<DriftUnitPartial> handedOn = old.extractOutputValues();
        assertThat(handedOn)
                .extracting(p -> p.kind)
                .contains(
                        DriftUnitPartial.Kind.RESTORED_PANE,
                        DriftUnitPartial.Kind.RESTORED_PART,
                        DriftUnitPartial.Kind.RESTORED_TIMER)
                .doesNotContain(DriftUnitPartial.Kind.PART);
        for (DriftUnitPartial p : handedOn) {
            units.processElement(p, Long.MIN_VALUE);
        }
        // Handed on once: a later watermark sends nothing more, and no old timer is left.
        old.processWatermark(20 * MINUTE - 1);
        assertThat(old.extractOutputValues()).hasSize(handedOn.size());
        assertThat(old.numEventTimeTimers()).isZero();
        old.close();

        for (DriftUnitPartial p : continuation.subList(early, continuation.size())) {
            units.processElement(p, p.paneStart + SLIDE - 1);
        }
        for (long w = 15 * MINUTE - 1; w <= 120 * MINUTE; w += SLIDE) {
            int before = units.extractOutputValues().size();
            units.processWatermark(w);
            List<WindowDriftPart> parts = units.extractOutputValues();
            for (WindowDriftPart part : parts.subList(before, parts.size())) {
                combiner.processElement(part, part.windowEnd - 1);
            }
            combiner.processWatermark(w);
        }

        List<DriftReport> reports = combiner.extractOutputValues();
        List<String> actual =
                reports.stream()
                        .map(DriftPreviousReleaseStateTest::line)
                        .collect(Collectors.toList());
        List<String> expected = Files.readAllLines(resource("drift-per-model-version-reports.txt"));
        // Windows ending at 15..85 min, two model versions, four reports each.
        assertThat(expected).hasSize(15 * 2 * 4);
        // Pending deltas read back once each, before any figure is compared.
        assertThat(reports)
                .filteredOn(r -> r.windowEnd == 15 * MINUTE)
                .extracting(r -> r.nCurrent)
                .containsOnly(187L);
        assertThat(byReport(actual)).isEqualTo(byReport(expected));
        assertThat(units.numEventTimeTimers()).isZero();
        assertThat(combiner.numEventTimeTimers()).isZero();
        units.close();
        combiner.close();
    }
}
