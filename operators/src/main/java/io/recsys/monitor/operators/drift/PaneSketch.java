package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.reference.FeatureValues;
import io.recsys.monitor.operators.reference.ModelProfile;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * What one model version's prediction events of one pane (a slide of the sliding window, 5 min by
 * default) look like, in bounded memory whatever the traffic: a KLL sketch with k = {@value
 * #SKETCH_K} per numerical feature and for the top score, the score's moments, and counts per
 * category (at most {@link #maxCategories} per feature; further categories count under {@value
 * #OTHER}). Panes merge into the window's sample, so that a slide merges twelve small sketches
 * instead of re-reading an hour of events.
 *
 * <p>Only the features of the reference profile in force are sketched: the reference bounds the
 * number of sketches, and a feature it does not know has nothing to be compared with. Before any
 * reference is known (the first file may reach the operator after the first events), every feature
 * is sketched by its JSON type, at most {@value #MAX_FEATURES_WITHOUT_REFERENCE} per pane, so that
 * those events still count once the reference arrives. The scores are always sketched.
 *
 * <p>k = 600 gives an all-ranks error of 2.446 / 600^0.9433 = 0.0059 (DataSketches' a-priori bound,
 * 99 % confidence); with the reference's 0.0019 the KS D is within 0.0078 of the exact one. A
 * merged sketch keeps the error of a single one.
 */
public final class PaneSketch {
    public static final int SKETCH_K = 600;
    public static final String OTHER = "__other__";

    /** Features sketched per pane while no reference is known. */
    public static final int MAX_FEATURES_WITHOUT_REFERENCE = 200;

    private static final int FORMAT = 1;

    private final int maxCategories;
    long events;
    final Map<String, KllDoublesSketch> numeric = new TreeMap<>();
    final Map<String, Map<String, Long>> categorical = new TreeMap<>();
    KllDoublesSketch scores;
    final Moments scoreMoments = new Moments();

    public PaneSketch(int maxCategories) {
        this.maxCategories = maxCategories;
    }

    public long events() {
        return events;
    }

    public int maxCategories() {
        return maxCategories;
    }

    /**
     * Adds one event, sketching the features {@code profile} names with the kinds it gives them;
     * with no profile yet (the first reference may still be on its way) every feature by its JSON
     * type, at most {@value #MAX_FEATURES_WITHOUT_REFERENCE} of them.
     */
    public void add(PredictionEvent event, ModelProfile profile) {
        events++;
        if (profile == null) {
            for (Map.Entry<String, Double> e : event.numericFeatures.entrySet()) {
                if (Double.isFinite(e.getValue()) && hasRoomFor(e.getKey())) {
                    numeric.computeIfAbsent(e.getKey(), f -> newSketch()).update(e.getValue());
                }
            }
            for (String feature : event.categoricalFeatures.keySet()) {
                if (hasRoomFor(feature)) {
                    addCategory(feature, FeatureValues.category(event, feature), 1);
                }
            }
        } else {
            for (String feature : profile.numericalFeatures.keySet()) {
                Double value = FeatureValues.number(event, feature);
                if (value != null) {
                    numeric.computeIfAbsent(feature, f -> newSketch()).update(value);
                }
            }
            for (String feature : profile.categoricalFeatures.keySet()) {
                String value = FeatureValues.category(event, feature);
                if (value != null) {
                    addCategory(feature, value, 1);
                }
            }
        }
        Double top = FeatureValues.topScore(event);
        if (top != null) {
            if (scores == null) {
                scores = newSketch();
            }
            scores.update(top);
            scoreMoments.add(top);
        }
    }

    private boolean hasRoomFor(String feature) {
        return numeric.containsKey(feature)
                || categorical.containsKey(feature)
                || numeric.size() + categorical.size() < MAX_FEATURES_WITHOUT_REFERENCE;
    }

    private void addCategory(String feature, String value, long count) {
        Map<String, Long> counts = categorical.computeIfAbsent(feature, f -> new HashMap<>());
        String key = counts.containsKey(value) || counts.size() < maxCategories ? value : OTHER;
        counts.merge(key, count, Long::sum);
    }

    /** Adds another pane's content to this one. */
    public void merge(PaneSketch other) {
        events += other.events;
        for (Map.Entry<String, KllDoublesSketch> e : other.numeric.entrySet()) {
            numeric.computeIfAbsent(e.getKey(), f -> newSketch()).merge(e.getValue());
        }
        for (Map.Entry<String, Map<String, Long>> e : other.categorical.entrySet()) {
            for (Map.Entry<String, Long> c : e.getValue().entrySet()) {
                addCategory(e.getKey(), c.getKey(), c.getValue());
            }
        }
        if (other.scores != null) {
            if (scores == null) {
                scores = newSketch();
            }
            scores.merge(other.scores);
        }
        scoreMoments.merge(other.scoreMoments);
    }

    /** The window's distribution of a numerical feature; empty when it had no values. */
    public EmpiricalCdf numericDistribution(String feature) {
        KllDoublesSketch sketch = numeric.get(feature);
        return sketch == null ? EmpiricalCdf.exact(new double[0]) : EmpiricalCdf.of(sketch);
    }

    /** Counts per category of a categorical feature (a copy; empty when none). */
    public Map<String, Long> categoryCounts(String feature) {
        Map<String, Long> counts = categorical.get(feature);
        return counts == null ? new HashMap<String, Long>() : new HashMap<>(counts);
    }

    public EmpiricalCdf scoreDistribution() {
        return scores == null ? EmpiricalCdf.exact(new double[0]) : EmpiricalCdf.of(scores);
    }

    public Moments scoreMoments() {
        return new Moments(scoreMoments.count(), scoreMoments.mean(), scoreMoments.m2());
    }

    private static KllDoublesSketch newSketch() {
        return KllDoublesSketch.newHeapInstance(SKETCH_K);
    }

    /** Writes the pane: the checkpointed form of the drift operator's state. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(maxCategories);
        out.writeLong(events);
        out.writeInt(numeric.size());
        for (Map.Entry<String, KllDoublesSketch> e : numeric.entrySet()) {
            out.writeUTF(e.getKey());
            writeSketch(out, e.getValue());
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
            writeSketch(out, scores);
        }
        out.writeLong(scoreMoments.count());
        out.writeDouble(scoreMoments.mean());
        out.writeDouble(scoreMoments.m2());
    }

    public static PaneSketch read(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("Unknown pane sketch format " + format);
        }
        PaneSketch pane = new PaneSketch(in.readInt());
        pane.events = in.readLong();
        int numeric = in.readInt();
        for (int i = 0; i < numeric; i++) {
            pane.numeric.put(in.readUTF(), readSketch(in));
        }
        int categorical = in.readInt();
        for (int i = 0; i < categorical; i++) {
            String feature = in.readUTF();
            int size = in.readInt();
            Map<String, Long> counts = new HashMap<>();
            for (int j = 0; j < size; j++) {
                counts.put(in.readUTF(), in.readLong());
            }
            pane.categorical.put(feature, counts);
        }
        if (in.readBoolean()) {
            pane.scores = readSketch(in);
        }
        long count = in.readLong();
        double mean = in.readDouble();
        double m2 = in.readDouble();
        pane.scoreMoments.merge(new Moments(count, mean, m2));
        return pane;
    }

    private static void writeSketch(DataOutput out, KllDoublesSketch sketch) throws IOException {
        byte[] bytes = sketch.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static KllDoublesSketch readSketch(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return KllDoublesSketch.heapify(Memory.wrap(bytes));
    }
}
