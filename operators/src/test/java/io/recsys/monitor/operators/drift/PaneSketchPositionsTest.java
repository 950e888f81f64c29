package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.operators.reference.FeatureValues;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The pane's samples are found by the feature's position in the profile, its categories counted
 * without boxing; these tests hold it to what the pane sketched by feature name did (format 1): the
 * same values of every feature, the same counts, with profiles replaced in the middle of a pane, no
 * profile at all, merges across both, and panes read back; and a pane checkpointed in format 1 (KLL
 * sketches) is read back as the samples it stands for.
 */
class PaneSketchPositionsTest {
    private static final int MAX_CATEGORIES = 25;

    /** The KLL k of format 1's pane sketches. */
    private static final int FORMAT_ONE_K = 600;

    private static final String[] COLOURS = {"red", "green", "blue", "black"};

    /**
     * Events with ten numerical and five categorical features, some absent, some not finite, some
     * of the other JSON type than the profile's kind, one categorical feature with 40 values (more
     * than {@link #MAX_CATEGORIES}), and sometimes no top score.
     */
    private static PredictionEvent event(Random random, int i) {
        PredictionEvent e = new PredictionEvent();
        e.requestId = "r-" + i;
        e.eventTime = i;
        e.modelVersion = "v1";
        for (int f = 0; f < 8; f++) {
            if (random.nextDouble() < 0.1) {
                continue;
            }
            double v = f + (1 + f) * random.nextGaussian();
            e.numericFeatures.put("n" + f, random.nextDouble() < 0.01 ? Double.NaN : v);
        }
        // A number sent as a string now and then, and as text that is no number.
        double u = random.nextDouble();
        if (u < 0.7) {
            e.numericFeatures.put("n8", 100 * random.nextDouble());
        } else if (u < 0.9) {
            e.categoricalFeatures.put("n8", String.format("%.2f", 100 * random.nextDouble()));
        } else {
            e.categoricalFeatures.put("n8", "n/a");
        }
        e.numericFeatures.put("n9", (double) random.nextInt(7));
        e.categoricalFeatures.put("c0", COLOURS[random.nextInt(COLOURS.length)]);
        e.categoricalFeatures.put("c1", "v-" + random.nextInt(40));
        if (random.nextBoolean()) {
            e.numericFeatures.put("c2", (double) random.nextInt(5));
        } else {
            e.categoricalFeatures.put("c2", Integer.toString(random.nextInt(5)));
        }
        if (random.nextDouble() < 0.8) {
            e.categoricalFeatures.put("c3", random.nextBoolean() ? "true" : "false");
        }
        e.categoricalFeatures.put("c4", random.nextDouble() < 0.001 ? PaneSketch.OTHER : "x");
        e.numericFeatures.put("unprofiled_" + random.nextInt(3), random.nextDouble());
        if (random.nextDouble() < 0.05) {
            e.error = true;
        } else if (random.nextDouble() < 0.97) {
            e.recommendations.add(new RecommendedItem("i", random.nextDouble(), "c", 1.0));
        }
        return e;
    }

    private static List<PredictionEvent> events(long seed, int count) {
        Random random = new Random(seed);
        List<PredictionEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event(random, i));
        }
        return events;
    }

    /** A profile of the events' features, with some kinds other than their JSON type. */
    private static ModelProfile profile(
            Set<String> categorical, Set<String> numerical, Set<String> dropped) {
        ReferenceProfileBuilder builder = new ReferenceProfileBuilder(categorical, numerical);
        for (PredictionEvent e : events(99, 2000)) {
            for (String f : dropped) {
                e.numericFeatures.remove(f);
                e.categoricalFeatures.remove(f);
            }
            e.numericFeatures.keySet().removeIf(f -> f.startsWith("unprofiled_"));
            builder.add(e);
        }
        return builder.build("r", "2026-01-01T00:00:00Z", "test")
                .profileFor(ReferenceProfile.DEFAULT);
    }

    /** n8 numerical, c2 categorical (their values come in both JSON types). */
    private static ModelProfile profileA() {
        return profile(set("c2"), set("n8"), set());
    }

    /** Another reference: n7 read as a category, c1 and n3 dropped. */
    private static ModelProfile profileB() {
        return profile(set("c2", "n7"), set("n8"), set("c1", "n3"));
    }

    private static Set<String> set(String... names) {
        return new HashSet<>(Arrays.asList(names));
    }

    @Test
    void theProfilesExerciseWhatTheyShould() {
        ModelProfile a = profileA();
        ModelProfile b = profileB();
        assertThat(a.numericalFeatures.keySet())
                .containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9");
        assertThat(a.categoricalFeatures.keySet()).containsExactly("c0", "c1", "c2", "c3", "c4");
        assertThat(b.numericalFeatures.keySet()).doesNotContain("n3", "n7");
        assertThat(b.categoricalFeatures.keySet()).contains("n7").doesNotContain("c1");
    }

    @Test
    void sketchesTheValuesAnExactComputationReads() {
        ModelProfile profile = profileA();
        List<PredictionEvent> events = events(1, 30_000);
        PaneSketch pane = new PaneSketch(MAX_CATEGORIES, 30_000);
        Map<String, List<Double>> values = new TreeMap<>();
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        List<Double> scores = new ArrayList<>();
        for (PredictionEvent e : events) {
            pane.add(e, profile);
            for (String f : profile.numericalFeatures.keySet()) {
                Double v = FeatureValues.number(e, f);
                if (v != null) {
                    values.computeIfAbsent(f, k -> new ArrayList<>()).add(v);
                }
            }
            for (String f : profile.categoricalFeatures.keySet()) {
                String c = FeatureValues.category(e, f);
                if (c == null) {
                    continue;
                }
                Map<String, Long> m = counts.computeIfAbsent(f, k -> new HashMap<>());
                if (!m.containsKey(c) && m.size() >= MAX_CATEGORIES) {
                    c = PaneSketch.OTHER;
                }
                m.put(c, m.getOrDefault(c, 0L) + 1);
            }
            Double top = FeatureValues.topScore(e);
            if (top != null) {
                scores.add(top);
            }
        }
        assertThat(pane.events()).isEqualTo(events.size());
        assertThat(pane.numeric.keySet()).isEqualTo(values.keySet());
        for (Map.Entry<String, List<Double>> e : values.entrySet()) {
            assertExactOf(pane.numericDistribution(e.getKey()), e.getValue());
            assertThat(pane.numericCount(e.getKey())).isEqualTo(e.getValue().size());
        }
        assertExactOf(pane.scoreDistribution(), scores);
        assertThat(pane.scoreCount()).isEqualTo(scores.size());
        Moments moments = new Moments();
        scores.forEach(moments::add);
        assertThat(pane.scoreMoments().count()).isEqualTo(moments.count());
        // Exact sums rounded once, against Welford's rounding at every step.
        assertThat(pane.scoreMoments().mean()).isCloseTo(moments.mean(), within(1e-12));
        assertThat(pane.scoreMoments().m2()).isCloseTo(moments.m2(), within(1e-9 * moments.m2()));
        assertThat(pane.categorical.keySet()).isEqualTo(counts.keySet());
        for (Map.Entry<String, Map<String, Long>> e : counts.entrySet()) {
            assertThat(pane.categoryCounts(e.getKey())).isEqualTo(e.getValue());
        }
        // The cap is reached, and a literal __other__ counts as the category it names.
        assertThat(counts.get("c1")).hasSize(MAX_CATEGORIES + 1).containsKey(PaneSketch.OTHER);
        assertThat(counts.get("c4")).containsKey(PaneSketch.OTHER);
        assertThat(pane.categoryCounts("unknown")).isEmpty();
        assertThat(pane.numericDistribution("unknown").isEmpty()).isTrue();
    }

    /** The very distribution of the values: exact, with no rank error. */
    private static void assertExactOf(EmpiricalCdf distribution, List<Double> values) {
        EmpiricalCdf exact =
                EmpiricalCdf.exact(values.stream().mapToDouble(Double::doubleValue).toArray());
        assertThat(distribution.rankError()).isZero();
        assertThat(distribution.values()).containsExactly(exact.values());
        assertThat(distribution.cumulativeCounts()).containsExactly(exact.cumulativeCounts());
    }

    /**
     * Few enough events that no KLL sketch compacts (the first compaction of k = 600 comes after
     * 600 values): a format-1 pane read back holds every value, exactly, and writes format 2.
     */
    @Test
    void readsASmallFormatOnePaneAsItsExactValues() throws IOException {
        ModelProfile profile = profileA();
        List<PredictionEvent> events = events(2, 500);
        PaneSketch pane = new PaneSketch(MAX_CATEGORIES);
        FormatOnePane old = new FormatOnePane(MAX_CATEGORIES);
        for (PredictionEvent e : events) {
            pane.add(e, profile);
            old.add(e, profile);
        }
        // As Flink restores it: through the state's serializer.
        PaneSketch restored =
                PaneSketchSerializer.INSTANCE.deserialize(new DataInputDeserializer(old.bytes()));
        assertSameContent(restored, old);
        for (String feature : pane.numeric.keySet()) {
            EmpiricalCdf now = pane.numericDistribution(feature);
            EmpiricalCdf back = restored.numericDistribution(feature);
            assertThat(back.rankError()).isZero();
            assertThat(back.values()).containsExactly(now.values());
            assertThat(back.cumulativeCounts()).containsExactly(now.cumulativeCounts());
        }
        assertThat(restored.scoreDistribution().values())
                .containsExactly(pane.scoreDistribution().values());
        assertThat(bytes(PaneSketch.read(input(bytes(restored))))).isEqualTo(bytes(restored));
    }

    /**
     * A format-1 pane whose sketches compacted: read back, each feature holds what the sketch
     * retained, weight for weight (sampled down to the pane's capacity), and carries the sketch's
     * rank error into the error bound of the reports.
     */
    @Test
    void readsACompactedFormatOnePaneWithTheSketchErrorCarried() throws IOException {
        ModelProfile profile = profileA();
        FormatOnePane old = new FormatOnePane(MAX_CATEGORIES);
        for (PredictionEvent e : events(4, 20_000)) {
            old.add(e, profile);
        }
        PaneSketch restored = PaneSketch.read(input(old.bytes()));
        assertSameContent(restored, old);
        KllDoublesSketch sketch = old.numeric.get("n0");
        assertThat(sketch.isEstimationMode()).isTrue();
        EmpiricalCdf back = restored.numericDistribution("n0");
        assertThat(back.rankError()).isGreaterThanOrEqualTo(sketch.getNormalizedRankError(true));
        // Every decile of the sketch is where the restored sample puts it, within both errors.
        for (int q = 1; q < 10; q++) {
            double x = sketch.getQuantile(q / 10.0);
            assertThat(back.cdf(x)).isCloseTo(sketch.getRank(x), within(back.rankError()));
        }
        assertThat(restored.numeric.get("n0").isExact()).isFalse();
    }

    /** The same features, counts, minima and maxima, categories and moments as a format-1 pane. */
    private static void assertSameContent(PaneSketch pane, FormatOnePane old) {
        assertThat(pane.events()).isEqualTo(old.events);
        assertThat(pane.numeric.keySet()).isEqualTo(old.numeric.keySet());
        for (Map.Entry<String, KllDoublesSketch> e : old.numeric.entrySet()) {
            KllDoublesSketch sketch = e.getValue();
            assertThat(pane.numericCount(e.getKey())).as(e.getKey()).isEqualTo(sketch.getN());
            if (!sketch.isEmpty() && pane.numeric.get(e.getKey()).isExact()) {
                double[] values = pane.numericDistribution(e.getKey()).values();
                assertThat(values[0]).isEqualTo(sketch.getMinItem());
                assertThat(values[values.length - 1]).isEqualTo(sketch.getMaxItem());
            }
        }
        assertThat(pane.categorical.keySet()).isEqualTo(old.categorical.keySet());
        for (Map.Entry<String, Map<String, Long>> e : old.categorical.entrySet()) {
            assertThat(pane.categoryCounts(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(pane.scoreCount()).isEqualTo(old.scores == null ? 0 : old.scores.getN());
        assertThat(pane.scoreMoments().count()).isEqualTo(old.scoreMoments.count());
        assertThat(pane.scoreMoments().mean()).isCloseTo(old.scoreMoments.mean(), within(1e-12));
        assertThat(pane.scoreMoments().m2())
                .isCloseTo(
                        old.scoreMoments.m2(), within(1e-9 * Math.max(1, old.scoreMoments.m2())));
    }

    /**
     * The pane's life in the operator: events before any reference, under one reference, under its
     * replacement, a checkpoint in between, and the window's merge of panes built under each: the
     * same features with the same counts as the pane sketched by name, exact values kept.
     */
    @Test
    void keepsWhatFormatOneKeptThroughReferenceChangesCheckpointsAndMerges() throws Exception {
        ModelProfile a = profileA();
        ModelProfile b = profileB();
        List<PredictionEvent> events = events(3, 24_000);

        List<PaneSketch> actual = new ArrayList<>();
        PaneSketch[] panes = new PaneSketch[4];
        for (int p = 0; p < panes.length; p++) {
            panes[p] = new PaneSketch(MAX_CATEGORIES, 100_000);
        }
        for (int i = 0; i < events.size(); i++) {
            PredictionEvent e = events.get(i);
            ModelProfile profile = i < 3000 ? null : i < 12_000 ? a : b;
            panes[i % 4].add(e, profile);
            if (i == 7000) {
                panes[1] = PaneSketch.read(input(bytes(panes[1])));
            }
            if (i == 15_000) {
                // A pane that last saw profile b goes back to a, and one sees the very same one
                // again after a checkpoint.
                panes[2].add(events.get(0), a);
                panes[3] = PaneSketch.read(input(bytes(panes[3])));
            }
        }
        for (PaneSketch pane : panes) {
            actual.add(pane);
        }
        PaneSketch window = new PaneSketch(MAX_CATEGORIES, Integer.MAX_VALUE);
        for (PaneSketch pane : panes) {
            window.merge(pane);
        }
        PaneSketch small = new PaneSketch(3, 100_000);
        small.merge(window);
        window.add(events.get(1), a);
        actual.add(window);
        actual.add(small);
        actual.add(PaneSketch.read(input(bytes(window))));
        // Samples that appear by a merge or without a profile after the pane placed the profile's
        // features: the pane must go on with them, not start new ones.
        PaneSketch late = new PaneSketch(MAX_CATEGORIES, 100_000);
        late.add(new PredictionEvent(), a);
        late.merge(panes[0]);
        late.add(events.get(2), null);
        late.add(events.get(3), a);
        actual.add(late);

        List<FormatOnePane> expected = new ArrayList<>();
        FormatOnePane[] reference = new FormatOnePane[4];
        for (int p = 0; p < reference.length; p++) {
            reference[p] = new FormatOnePane(MAX_CATEGORIES);
        }
        for (int i = 0; i < events.size(); i++) {
            PredictionEvent e = events.get(i);
            ModelProfile profile = i < 3000 ? null : i < 12_000 ? a : b;
            reference[i % 4].add(e, profile);
            if (i == 15_000) {
                reference[2].add(events.get(0), a);
            }
        }
        for (FormatOnePane pane : reference) {
            expected.add(pane);
        }
        FormatOnePane referenceWindow = new FormatOnePane(MAX_CATEGORIES);
        for (FormatOnePane pane : reference) {
            referenceWindow.merge(pane);
        }
        FormatOnePane referenceSmall = new FormatOnePane(3);
        referenceSmall.merge(referenceWindow);
        referenceWindow.add(events.get(1), a);
        expected.add(referenceWindow);
        expected.add(referenceSmall);
        expected.add(referenceWindow);
        FormatOnePane referenceLate = new FormatOnePane(MAX_CATEGORIES);
        referenceLate.add(new PredictionEvent(), a);
        referenceLate.merge(reference[0]);
        referenceLate.add(events.get(2), null);
        referenceLate.add(events.get(3), a);
        expected.add(referenceLate);

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertSameContent(actual.get(i), expected.get(i));
        }
        // The merged window kept every value where the sketch compacted, and folded categories:
        // the check had teeth.
        assertThat(referenceWindow.numeric.get("n0").isEstimationMode()).isTrue();
        assertThat(window.numeric.get("n0").isExact()).isTrue();
        assertThat(small.categoryCounts("c0")).containsKey(PaneSketch.OTHER);
        assertThat(window.numeric).containsKey("unprofiled_0");
        assertThat(window.categorical).containsKey("n7");
    }

    private static byte[] bytes(PaneSketch pane) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pane.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /**
     * The pane as format 1 was written and filled: sketches and boxed counts looked up by feature
     * name for every event.
     */
    private static final class FormatOnePane {
        final int maxCategories;
        long events;
        final Map<String, KllDoublesSketch> numeric = new TreeMap<>();
        final Map<String, Map<String, Long>> categorical = new TreeMap<>();
        KllDoublesSketch scores;
        final Moments scoreMoments = new Moments();

        FormatOnePane(int maxCategories) {
            this.maxCategories = maxCategories;
        }

        void add(PredictionEvent event, ModelProfile profile) {
            events++;
            if (profile == null) {
                for (Map.Entry<String, Double> e : event.numericFeatures.entrySet()) {
                    if (Double.isFinite(e.getValue()) && hasRoomFor(e.getKey())) {
                        sketch(e.getKey()).update(e.getValue());
                    }
                }
                for (String feature : event.categoricalFeatures.keySet()) {
                    if (hasRoomFor(feature)) {
                        count(feature, FeatureValues.category(event, feature), 1);
                    }
                }
            } else {
                for (String feature : profile.numericalFeatures.keySet()) {
                    Double value = FeatureValues.number(event, feature);
                    if (value != null) {
                        sketch(feature).update(value);
                    }
                }
                for (String feature : profile.categoricalFeatures.keySet()) {
                    String value = FeatureValues.category(event, feature);
                    if (value != null) {
                        count(feature, value, 1);
                    }
                }
            }
            Double top = FeatureValues.topScore(event);
            if (top != null) {
                if (scores == null) {
                    scores = KllDoublesSketch.newHeapInstance(FORMAT_ONE_K);
                }
                scores.update(top);
                scoreMoments.add(top);
            }
        }

        boolean hasRoomFor(String feature) {
            return numeric.containsKey(feature)
                    || categorical.containsKey(feature)
                    || numeric.size() + categorical.size()
                            < PaneSketch.MAX_FEATURES_WITHOUT_REFERENCE;
        }

        KllDoublesSketch sketch(String feature) {
            KllDoublesSketch sketch = numeric.get(feature);
            if (sketch == null) {
                sketch = KllDoublesSketch.newHeapInstance(FORMAT_ONE_K);
                numeric.put(feature, sketch);
            }
            return sketch;
        }

        void count(String feature, String value, long count) {
            Map<String, Long> counts = categorical.get(feature);
            if (counts == null) {
                counts = new HashMap<>();
                categorical.put(feature, counts);
            }
            String key =
                    counts.containsKey(value) || counts.size() < maxCategories
                            ? value
                            : PaneSketch.OTHER;
            Long old = counts.get(key);
            counts.put(key, old == null ? count : old + count);
        }

        void merge(FormatOnePane other) {
            events += other.events;
            for (Map.Entry<String, KllDoublesSketch> e : other.numeric.entrySet()) {
                sketch(e.getKey()).merge(e.getValue());
            }
            for (Map.Entry<String, Map<String, Long>> e : other.categorical.entrySet()) {
                for (Map.Entry<String, Long> c : e.getValue().entrySet()) {
                    count(e.getKey(), c.getKey(), c.getValue());
                }
            }
            if (other.scores != null) {
                if (scores == null) {
                    scores = KllDoublesSketch.newHeapInstance(FORMAT_ONE_K);
                }
                scores.merge(other.scores);
            }
            scoreMoments.merge(other.scoreMoments);
        }

        /** Format 1: big-endian, sketches in DataSketches' compact form. */
        byte[] bytes() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(1);
            out.writeInt(maxCategories);
            out.writeLong(events);
            out.writeInt(numeric.size());
            for (Map.Entry<String, KllDoublesSketch> e : numeric.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] sketch = e.getValue().toByteArray();
                out.writeInt(sketch.length);
                out.write(sketch);
            }
            out.writeInt(categorical.size());
            for (Map.Entry<String, Map<String, Long>> e : categorical.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().size());
                for (Map.Entry<String, Long> c : e.getValue().entrySet()) {
                    out.writeUTF(c.getKey());
                    out.writeLong(c.getValue());
                }
            }
            out.writeBoolean(scores != null);
            if (scores != null) {
                byte[] sketch = scores.toByteArray();
                out.writeInt(sketch.length);
                out.write(sketch);
            }
            out.writeLong(scoreMoments.count());
            out.writeDouble(scoreMoments.mean());
            out.writeDouble(scoreMoments.m2());
            return bytes.toByteArray();
        }
    }
}
