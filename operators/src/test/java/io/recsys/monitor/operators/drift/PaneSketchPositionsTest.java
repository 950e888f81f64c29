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
import java.lang.reflect.Field;
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
import org.apache.datasketches.kll.KllSketch;
import org.junit.jupiter.api.Test;

/**
 * The pane's sketches are found by the feature's position in the profile, its categories counted
 * without boxing; these tests hold it to what the pane sketched by feature name did (format 1): the
 * same values in every sketch, the same counts, and the same checkpoint bytes, with profiles
 * replaced in the middle of a pane, no profile at all, merges across both, and panes read back.
 */
class PaneSketchPositionsTest {
    private static final int MAX_CATEGORIES = 25;
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
        PaneSketch pane = new PaneSketch(MAX_CATEGORIES);
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
        double rankError =
                KllDoublesSketch.newHeapInstance(PaneSketch.SKETCH_K).getNormalizedRankError(true);
        for (Map.Entry<String, List<Double>> e : values.entrySet()) {
            assertSketchOf(pane.numeric.get(e.getKey()), e.getValue(), rankError);
            assertThat(pane.numericDistribution(e.getKey()).count()).isEqualTo(e.getValue().size());
        }
        assertSketchOf(pane.scores, scores, rankError);
        Moments moments = new Moments();
        scores.forEach(moments::add);
        assertThat(pane.scoreMoments().count()).isEqualTo(moments.count());
        assertThat(pane.scoreMoments().mean()).isEqualTo(moments.mean());
        assertThat(pane.scoreMoments().m2()).isEqualTo(moments.m2());
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

    /** Same N, min and max as the values, and every value's rank within the a-priori error. */
    private static void assertSketchOf(
            KllDoublesSketch sketch, List<Double> values, double rankError) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertThat(sketch.getN()).isEqualTo(sorted.length);
        assertThat(sketch.getMinItem()).isEqualTo(sorted[0]);
        assertThat(sketch.getMaxItem()).isEqualTo(sorted[sorted.length - 1]);
        for (int q = 1; q < 100; q++) {
            double x = sorted[(int) ((long) q * (sorted.length - 1) / 100)];
            double exact = (double) upperBound(sorted, x) / sorted.length;
            assertThat(sketch.getRank(x)).isCloseTo(exact, within(rankError));
        }
    }

    /** Number of values at most {@code x}. */
    private static int upperBound(double[] sorted, double x) {
        int n = 0;
        while (n < sorted.length && sorted[n] <= x) {
            n++;
        }
        return n;
    }

    /**
     * Few enough events that no KLL sketch compacts (the first compaction of k = 600 comes after
     * 600 values), so no random bit is drawn: the bytes are those of format 1 whatever the seed.
     */
    @Test
    void writesTheBytesFormatOneWroteForASmallPane() throws IOException {
        ModelProfile profile = profileA();
        List<PredictionEvent> events = events(2, 500);
        PaneSketch pane = new PaneSketch(MAX_CATEGORIES);
        FormatOnePane expected = new FormatOnePane(MAX_CATEGORIES);
        for (PredictionEvent e : events) {
            pane.add(e, profile);
            expected.add(e, profile);
        }
        assertThat(bytes(pane)).isEqualTo(expected.bytes());
    }

    /**
     * The pane's life in the operator: events before any reference, under one reference, under its
     * replacement, a checkpoint in between, and the window's merge of panes built under each. KLL
     * compaction draws from DataSketches' one static {@link java.util.Random}; seeding it before
     * each run makes both runs draw the same bits as long as they update the same sketches with the
     * same values in the same order, which is what is being checked.
     */
    @Test
    void writesTheBytesFormatOneWroteThroughReferenceChangesCheckpointsAndMerges()
            throws Exception {
        ModelProfile a = profileA();
        ModelProfile b = profileB();
        List<PredictionEvent> events = events(3, 24_000);

        seedKll(17);
        List<byte[]> actual = new ArrayList<>();
        PaneSketch[] panes = new PaneSketch[4];
        for (int p = 0; p < panes.length; p++) {
            panes[p] = new PaneSketch(MAX_CATEGORIES);
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
            actual.add(bytes(pane));
        }
        PaneSketch window = new PaneSketch(MAX_CATEGORIES);
        for (PaneSketch pane : panes) {
            window.merge(pane);
        }
        PaneSketch small = new PaneSketch(3);
        small.merge(window);
        window.add(events.get(1), a);
        actual.add(bytes(window));
        actual.add(bytes(small));
        actual.add(bytes(PaneSketch.read(input(bytes(window)))));
        // Sketches that appear by a merge or without a profile after the pane placed the profile's
        // features: the pane must go on with them, not start new ones.
        PaneSketch late = new PaneSketch(MAX_CATEGORIES);
        late.add(new PredictionEvent(), a);
        late.merge(panes[0]);
        late.add(events.get(2), null);
        late.add(events.get(3), a);
        actual.add(bytes(late));

        seedKll(17);
        List<byte[]> expected = new ArrayList<>();
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
            expected.add(pane.bytes());
        }
        FormatOnePane referenceWindow = new FormatOnePane(MAX_CATEGORIES);
        for (FormatOnePane pane : reference) {
            referenceWindow.merge(pane);
        }
        FormatOnePane referenceSmall = new FormatOnePane(3);
        referenceSmall.merge(referenceWindow);
        referenceWindow.add(events.get(1), a);
        expected.add(referenceWindow.bytes());
        expected.add(referenceSmall.bytes());
        expected.add(referenceWindow.bytes());
        FormatOnePane referenceLate = new FormatOnePane(MAX_CATEGORIES);
        referenceLate.add(new PredictionEvent(), a);
        referenceLate.merge(reference[0]);
        referenceLate.add(events.get(2), null);
        referenceLate.add(events.get(3), a);
        expected.add(referenceLate.bytes());

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("pane %d", i).isEqualTo(expected.get(i));
        }
        // The merged window has compacted sketches and folded categories: the check had teeth.
        assertThat(window.numeric.get("n0").isEstimationMode()).isTrue();
        assertThat(small.categoryCounts("c0")).containsKey(PaneSketch.OTHER);
        assertThat(window.numeric).containsKey("unprofiled_0");
        assertThat(window.categorical).containsKey("n7");
    }

    private static void seedKll(long seed) throws ReflectiveOperationException {
        Field random = KllSketch.class.getDeclaredField("random");
        random.setAccessible(true);
        ((Random) random.get(null)).setSeed(seed);
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
                    scores = KllDoublesSketch.newHeapInstance(PaneSketch.SKETCH_K);
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
                sketch = KllDoublesSketch.newHeapInstance(PaneSketch.SKETCH_K);
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
                    scores = KllDoublesSketch.newHeapInstance(PaneSketch.SKETCH_K);
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
