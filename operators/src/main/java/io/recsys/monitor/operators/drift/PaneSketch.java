package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.reference.FeatureValues;
import io.recsys.monitor.operators.reference.ModelProfile;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * What one model version's prediction events of one pane (a slide of the sliding window, 5 min by
 * default) look like, in bounded memory whatever the traffic: the values of each numerical feature
 * and of the top score ({@link NumericSample}: every value up to {@code exactValues} of them,
 * beyond that a deterministic bottom-k sample of that many), the score's moments, and counts per
 * category (at most {@link #maxCategories} per feature; further categories count under {@value
 * #OTHER}). Panes merge into the window, so that a slide merges twelve small panes instead of
 * re-reading an hour of events; a window that merges a sampled pane is sampled.
 *
 * <p>Only the features of the reference profile in force are sketched: the reference bounds the
 * number of sketches, and a feature it does not know has nothing to be compared with. Before any
 * reference is known (the first file may reach the operator after the first events), every feature
 * is sketched by its JSON type, at most {@value #MAX_FEATURES_WITHOUT_REFERENCE} per pane, so that
 * those events still count once the reference arrives. The scores are always sketched.
 *
 * <p>The default of {@value #DEFAULT_EXACT_VALUES} values costs at most 64 KB per quantity and pane
 * (a value and its priority, 16 bytes): 1 request/s per model version stays exact (300 values a
 * pane), and at the guide's 1,000 requests/s a pane keeps 4,096 of its 300,000 values, a window
 * about 49,000, within 0.0073 of the window's distribution (99 %).
 *
 * <p>Format 2 of the checkpointed form holds the samples; format 1 (KLL sketches) is still read,
 * each sketch's retained items taken as its values and its rank error carried into the reports.
 */
public final class PaneSketch {
    public static final String OTHER = "__other__";

    /** Values kept exactly per quantity and pane unless the configuration says otherwise. */
    public static final int DEFAULT_EXACT_VALUES = 4096;

    /** Features sketched per pane while no reference is known. */
    public static final int MAX_FEATURES_WITHOUT_REFERENCE = 200;

    private static final int FORMAT_KLL = 1;
    private static final int FORMAT = 2;

    private final int maxCategories;
    private final int exactValues;
    long events;
    final Map<String, NumericSample> numeric = new TreeMap<>();
    final Map<String, CategoryCounts> categorical = new TreeMap<>();
    NumericSample scores;
    ExactMoments scoreMoments = new ExactMoments();

    /**
     * This pane's samples in the order of the features of the profile last added under, so that an
     * event costs no lookup by feature name in the pane; rebuilt when the profile changes. Not
     * state: a pane read back from a checkpoint rebuilds it on its first event.
     */
    private ProfileSlots slots;

    public PaneSketch(int maxCategories) {
        this(maxCategories, DEFAULT_EXACT_VALUES);
    }

    /**
     * @param exactValues values kept per quantity before it is sampled; {@link Integer#MAX_VALUE}
     *     for a window, which is bounded by the panes it merges
     */
    public PaneSketch(int maxCategories, int exactValues) {
        this.maxCategories = maxCategories;
        this.exactValues = exactValues;
    }

    public long events() {
        return events;
    }

    /**
     * Adds one event, sketching the features {@code profile} names with the kinds it gives them;
     * with no profile yet (the first reference may still be on its way) every feature by its JSON
     * type, at most {@value #MAX_FEATURES_WITHOUT_REFERENCE} of them.
     */
    public void add(PredictionEvent event, ModelProfile profile) {
        events++;
        long priority = NumericSample.priority(event.requestId, event.eventTime);
        if (profile == null) {
            for (Map.Entry<String, Double> e : event.numericFeatures.entrySet()) {
                if (Double.isFinite(e.getValue()) && hasRoomFor(e.getKey())) {
                    numeric.computeIfAbsent(e.getKey(), f -> newSample())
                            .add(e.getValue(), priority);
                }
            }
            for (String feature : event.categoricalFeatures.keySet()) {
                if (hasRoomFor(feature)) {
                    categorical
                            .computeIfAbsent(feature, f -> new CategoryCounts())
                            .add(FeatureValues.category(event, feature), 1, maxCategories);
                }
            }
        } else {
            ProfileSlots s = slots;
            if (s == null || s.profile != profile) {
                s = new ProfileSlots(profile);
                slots = s;
            }
            String[] names = s.numericNames;
            NumericSample[] samples = s.samples;
            for (int i = 0; i < names.length; i++) {
                Double value = FeatureValues.number(event, names[i]);
                if (value != null) {
                    NumericSample sample = samples[i];
                    if (sample == null) {
                        sample = numeric.computeIfAbsent(names[i], f -> newSample());
                        samples[i] = sample;
                    }
                    sample.add(value, priority);
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
                scores = newSample();
            }
            scores.add(top, priority);
            scoreMoments.add(top);
        }
    }

    private boolean hasRoomFor(String feature) {
        return numeric.containsKey(feature)
                || categorical.containsKey(feature)
                || numeric.size() + categorical.size() < MAX_FEATURES_WITHOUT_REFERENCE;
    }

    /** Adds another pane's content to this one. */
    public void merge(PaneSketch other) {
        events += other.events;
        for (Map.Entry<String, NumericSample> e : other.numeric.entrySet()) {
            numeric.computeIfAbsent(e.getKey(), f -> newSample()).merge(e.getValue());
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
                scores = newSample();
            }
            scores.merge(other.scores);
        }
        scoreMoments.merge(other.scoreMoments);
    }

    /** Whether nothing has been added: no event counted, no feature or score sketched. */
    public boolean isEmpty() {
        return events == 0 && numeric.isEmpty() && categorical.isEmpty() && scores == null;
    }

    /**
     * This pane divided into its drift units, unit name to a pane that holds that unit alone: one
     * per numerical feature ({@link DriftUnit#numeric}), one per categorical feature ({@link
     * DriftUnit#categorical}) and {@link DriftUnit#MODEL} with the event count and the scores,
     * which every pane has. Panes merge feature by feature, so merging the units of panes gives
     * each unit what merging the panes would have given it. The units take this pane's sketches
     * themselves: this pane is not to be used afterwards.
     */
    public Map<String, PaneSketch> splitIntoUnits() {
        Map<String, PaneSketch> units = new java.util.LinkedHashMap<>();
        PaneSketch model = new PaneSketch(maxCategories, exactValues);
        model.events = events;
        model.scores = scores;
        model.scoreMoments = scoreMoments;
        units.put(DriftUnit.MODEL, model);
        for (Map.Entry<String, NumericSample> e : numeric.entrySet()) {
            PaneSketch unit = new PaneSketch(maxCategories, exactValues);
            unit.numeric.put(e.getKey(), e.getValue());
            units.put(DriftUnit.numeric(e.getKey()), unit);
        }
        for (Map.Entry<String, CategoryCounts> e : categorical.entrySet()) {
            PaneSketch unit = new PaneSketch(maxCategories, exactValues);
            unit.categorical.put(e.getKey(), e.getValue());
            units.put(DriftUnit.categorical(e.getKey()), unit);
        }
        return units;
    }

    /**
     * The window's distribution of a numerical feature (of the values kept, with their rank error
     * when sampled); empty when it had no values.
     */
    public EmpiricalCdf numericDistribution(String feature) {
        NumericSample sample = numeric.get(feature);
        return sample == null ? EmpiricalCdf.exact(new double[0]) : sample.distribution();
    }

    /** Values of a numerical feature added, kept or not. */
    public long numericCount(String feature) {
        NumericSample sample = numeric.get(feature);
        return sample == null ? 0 : sample.count();
    }

    /** Counts per category of a categorical feature (a copy; empty when none). */
    public Map<String, Long> categoryCounts(String feature) {
        CategoryCounts counts = categorical.get(feature);
        return counts == null ? new HashMap<String, Long>() : counts.toMap();
    }

    public EmpiricalCdf scoreDistribution() {
        return scores == null ? EmpiricalCdf.exact(new double[0]) : scores.distribution();
    }

    /** Top scores added, kept or not. */
    public long scoreCount() {
        return scores == null ? 0 : scores.count();
    }

    /** The top scores' moments, the same whatever the order their events came in. */
    public Moments scoreMoments() {
        return scoreMoments.toMoments();
    }

    private NumericSample newSample() {
        return new NumericSample(exactValues);
    }

    /** Writes the pane: the checkpointed form of the drift operator's state. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(maxCategories);
        out.writeInt(exactValues);
        out.writeLong(events);
        out.writeInt(numeric.size());
        for (Map.Entry<String, NumericSample> e : numeric.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().write(out);
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
            scores.write(out);
        }
        scoreMoments.write(out);
    }

    /** Reads a pane of format 2, or of format 1 (KLL sketches, taken as samples). */
    public static PaneSketch read(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT && format != FORMAT_KLL) {
            throw new IOException("Unknown pane sketch format " + format);
        }
        int maxCategories = in.readInt();
        PaneSketch pane =
                new PaneSketch(
                        maxCategories, format == FORMAT_KLL ? DEFAULT_EXACT_VALUES : in.readInt());
        pane.events = in.readLong();
        int numeric = in.readInt();
        for (int i = 0; i < numeric; i++) {
            String feature = in.readUTF();
            pane.numeric.put(
                    feature, format == FORMAT_KLL ? pane.readSketch(in) : NumericSample.read(in));
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
            pane.scores = format == FORMAT_KLL ? pane.readSketch(in) : NumericSample.read(in);
        }
        if (format == FORMAT_KLL) {
            long count = in.readLong();
            double mean = in.readDouble();
            double m2 = in.readDouble();
            pane.scoreMoments = ExactMoments.of(new Moments(count, mean, m2));
        } else {
            pane.scoreMoments = ExactMoments.read(in);
        }
        return pane;
    }

    /** A format-1 KLL sketch (its compact form) as a sample of this pane's capacity. */
    private NumericSample readSketch(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        KllDoublesSketch sketch = KllDoublesSketch.heapify(Memory.wrap(bytes));
        return NumericSample.fromSketch(EmpiricalCdf.of(sketch), sketch.getN(), exactValues);
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
            counts.forEach((category, count) -> copy.put(category, count.value));
            return copy;
        }
    }

    /**
     * One profile's features in a fixed order with the pane's sample or counts of each (null until
     * the feature's first value in this pane). The slots hold the very objects of {@link #numeric}
     * and {@link #categorical}, which are never replaced, so updating through a slot updates the
     * pane; a pane that switches to another profile (a new reference) finds its sketches by name
     * again and goes on with them.
     */
    private final class ProfileSlots {
        final ModelProfile profile;
        final String[] numericNames;
        final NumericSample[] samples;
        final String[] categoricalNames;
        final CategoryCounts[] counts;

        ProfileSlots(ModelProfile profile) {
            this.profile = profile;
            numericNames = profile.numericalFeatures.keySet().toArray(new String[0]);
            samples = new NumericSample[numericNames.length];
            Arrays.setAll(samples, i -> numeric.get(numericNames[i]));
            categoricalNames = profile.categoricalFeatures.keySet().toArray(new String[0]);
            counts = new CategoryCounts[categoricalNames.length];
            Arrays.setAll(counts, i -> categorical.get(categoricalNames[i]));
        }
    }
}
