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
    final Map<String, CategoryCounts> categorical = new TreeMap<>();
    KllDoublesSketch scores;
    final Moments scoreMoments = new Moments();

    /**
     * This pane's sketches in the order of the features of the profile last added under, so that an
     * event costs no lookup by feature name in the pane; rebuilt when the profile changes. Not
     * state: a pane read back from a checkpoint rebuilds it on its first event.
     */
    private ProfileSlots slots;

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
            ProfileSlots s = slots;
            if (s == null || s.profile != profile) {
                s = new ProfileSlots(profile);
                slots = s;
            }
            String[] names = s.numericNames;
            KllDoublesSketch[] sketches = s.sketches;
            for (int i = 0; i < names.length; i++) {
                Double value = FeatureValues.number(event, names[i]);
                if (value != null) {
                    KllDoublesSketch sketch = sketches[i];
                    if (sketch == null) {
                        sketch = numeric.computeIfAbsent(names[i], f -> newSketch());
                        sketches[i] = sketch;
                    }
                    sketch.update(value);
                }
            }
            names = s.categoricalNames;
            CategoryCounts[] counts = s.counts;
            for (int i = 0; i < names.length; i++) {
                String value = FeatureValues.category(event, names[i]);
                if (value != null) {
                    CategoryCounts c = counts[i];
                    if (c == null) {
                        c = categorical.computeIfAbsent(names[i], f -> new CategoryCounts());
                        counts[i] = c;
                    }
                    c.add(value, 1, maxCategories);
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
        categorical
                .computeIfAbsent(feature, f -> new CategoryCounts())
                .add(value, count, maxCategories);
    }

    /** Adds another pane's content to this one. */
    public void merge(PaneSketch other) {
        events += other.events;
        for (Map.Entry<String, KllDoublesSketch> e : other.numeric.entrySet()) {
            numeric.computeIfAbsent(e.getKey(), f -> newSketch()).merge(e.getValue());
        }
        for (Map.Entry<String, CategoryCounts> e : other.categorical.entrySet()) {
            if (e.getValue().size() == 0) {
                // As format 1's merge, which added category by category: no counts, no entry.
                continue;
            }
            CategoryCounts counts =
                    categorical.computeIfAbsent(e.getKey(), f -> new CategoryCounts());
            for (Map.Entry<String, CategoryCounts.Count> c : e.getValue().entries()) {
                counts.add(c.getKey(), c.getValue().value, maxCategories);
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
        CategoryCounts counts = categorical.get(feature);
        return counts == null ? new HashMap<String, Long>() : counts.toMap();
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
        for (Map.Entry<String, CategoryCounts> e : categorical.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().size());
            for (Map.Entry<String, CategoryCounts.Count> c : e.getValue().entries()) {
                out.writeUTF(c.getKey());
                out.writeLong(c.getValue().value);
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
            CategoryCounts counts = new CategoryCounts();
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

    /**
     * Counts per category of one feature, each a mutable count, so that counting an event allocates
     * nothing once its category is known. The counts live in a {@link HashMap} keyed by category
     * and filled in the order the categories come, as the {@code HashMap<String, Long>} of format 1
     * was: the iteration order, and so the checkpointed bytes and which categories a merge folds
     * into {@value #OTHER}, depend only on the keys and their order of insertion.
     */
    static final class CategoryCounts {
        private final HashMap<String, Count> counts = new HashMap<>();

        /** A category's count. */
        static final class Count {
            long value;

            Count(long value) {
                this.value = value;
            }
        }

        /**
         * Counts {@code value} {@code count} times; a new category beyond {@code maxCategories}
         * counts under {@value #OTHER}, which may be one more.
         */
        void add(String value, long count, int maxCategories) {
            Count c = counts.get(value);
            if (c == null) {
                if (counts.size() < maxCategories) {
                    counts.put(value, new Count(count));
                    return;
                }
                c = counts.get(OTHER);
                if (c == null) {
                    counts.put(OTHER, new Count(count));
                    return;
                }
            }
            c.value += count;
        }

        /** Sets a category's count as read back from a checkpoint. */
        void put(String category, long count) {
            counts.put(category, new Count(count));
        }

        int size() {
            return counts.size();
        }

        Iterable<Map.Entry<String, Count>> entries() {
            return counts.entrySet();
        }

        Map<String, Long> toMap() {
            Map<String, Long> copy = new HashMap<>();
            for (Map.Entry<String, Count> e : counts.entrySet()) {
                copy.put(e.getKey(), e.getValue().value);
            }
            return copy;
        }
    }

    /**
     * One profile's features in a fixed order with the pane's sketch or counts of each (null until
     * the feature's first value in this pane). The slots hold the very objects of {@link #numeric}
     * and {@link #categorical}, which are never replaced, so updating through a slot updates the
     * pane; a pane that switches to another profile (a new reference) finds its sketches by name
     * again and goes on with them.
     */
    private final class ProfileSlots {
        final ModelProfile profile;
        final String[] numericNames;
        final KllDoublesSketch[] sketches;
        final String[] categoricalNames;
        final CategoryCounts[] counts;

        ProfileSlots(ModelProfile profile) {
            this.profile = profile;
            numericNames = profile.numericalFeatures.keySet().toArray(new String[0]);
            sketches = new KllDoublesSketch[numericNames.length];
            for (int i = 0; i < numericNames.length; i++) {
                sketches[i] = numeric.get(numericNames[i]);
            }
            categoricalNames = profile.categoricalFeatures.keySet().toArray(new String[0]);
            counts = new CategoryCounts[categoricalNames.length];
            for (int i = 0; i < categoricalNames.length; i++) {
                counts[i] = categorical.get(categoricalNames[i]);
            }
        }
    }
}
