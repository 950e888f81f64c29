package io.recsys.monitor.operators.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The values of one numerical quantity (a feature or the top score) in a pane or a window: every
 * value while there are at most {@code capacity} of them, so that KS D and its p-value are exact;
 * beyond that a bottom-k sample of the values whose events have the smallest priorities (a hash of
 * the request id, {@link #priority}), which is a uniform sample of the pane, bounded whatever the
 * traffic.
 *
 * <p>Why not the KLL sketch of DataSketches: its compactions draw from one unseeded static {@code
 * java.util.Random} shared by every sketch in the JVM, and what it keeps depends on the order of
 * the values, which differs between runs wherever two channels meet before the drift operator. The
 * sample here depends only on the multiset of (priority, value) pairs: not on their order, not on
 * how they were split into deltas, panes and checkpoints, so the same input gives the same reports.
 *
 * <p>The sample is "every value seen whose key (priority, then value) is at most the threshold";
 * the threshold is infinite while the sample is exact. Merging keeps, of both sides, the values at
 * most the smaller threshold, then the {@code capacity} smallest keys: a window merged from panes
 * is the sample of the window with the threshold of its most sampled pane. Its distribution
 * function is within the Dvoretzky-Kiefer-Wolfowitz bound sqrt(ln(2 / 0.01) / (2 s)) of the
 * window's for s sampled values, at 99 % confidence (the confidence of the KLL bound it replaces).
 */
public final class NumericSample {
    /** 1 - confidence of {@link #rankError()}'s sampling bound. */
    static final double BOUND_RISK = 0.01;

    private final int capacity;
    private long count;
    private int size;
    private double[] values = new double[0];
    private long[] priorities = new long[0];
    private boolean sampled;
    private long thresholdPriority;
    private double thresholdValue;

    /** Whether the arrays form a max-heap by key (only needed while sampled and full). */
    private boolean heap;

    /** Error carried over from a pane restored from format 1 (a KLL sketch's bound), else 0. */
    private double carriedRankError;

    /**
     * @param capacity most values kept; {@link Integer#MAX_VALUE} for a window, which is bounded by
     *     its panes
     */
    public NumericSample(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * A well-mixed 64-bit priority of an event from its request id (and event time, which also
     * stands in for a missing id): FNV-1a over the characters, then SplitMix64's finalizer. The
     * same in every JVM, as String's characters are.
     */
    public static long priority(String requestId, long eventTime) {
        long h = 0xcbf29ce484222325L;
        if (requestId != null) {
            for (int i = 0; i < requestId.length(); i++) {
                h ^= requestId.charAt(i);
                h *= 0x100000001b3L;
            }
        }
        h ^= eventTime * 0x9e3779b97f4a7c15L;
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** Values added (or merged), sampled or not. */
    public long count() {
        return count;
    }

    /** Whether every value is kept. */
    public boolean isExact() {
        return !sampled && carriedRankError == 0.0;
    }

    /** Values kept. */
    public int size() {
        return size;
    }

    /** Adds a value of an event of the given priority. */
    public void add(double value, long priority) {
        count++;
        if (sampled && compare(priority, value, thresholdPriority, thresholdValue) >= 0) {
            return;
        }
        if (size < capacity) {
            append(value, priority);
            heap = false;
            return;
        }
        if (!heap) {
            heapify();
        }
        if (compare(priority, value, priorities[0], values[0]) < 0) {
            values[0] = value;
            priorities[0] = priority;
            siftDown(0);
        }
        sampled = true;
        thresholdPriority = priorities[0];
        thresholdValue = values[0];
    }

    /** Adds another sample's values (its count and, where sampled, its threshold). */
    public void merge(NumericSample other) {
        count += other.count;
        carriedRankError = Math.max(carriedRankError, other.carriedRankError);
        if (other.size == 0 && !other.sampled) {
            return;
        }
        long tp = thresholdPriority;
        double tv = thresholdValue;
        if (other.sampled
                && (!sampled
                        || compare(
                                        other.thresholdPriority,
                                        other.thresholdValue,
                                        thresholdPriority,
                                        thresholdValue)
                                < 0)) {
            tp = other.thresholdPriority;
            tv = other.thresholdValue;
        }
        boolean bounded = sampled || other.sampled;
        int n = 0;
        double[] v = new double[size + other.size];
        long[] p = new long[size + other.size];
        for (NumericSample s : new NumericSample[] {this, other}) {
            for (int i = 0; i < s.size; i++) {
                if (!bounded || compare(s.priorities[i], s.values[i], tp, tv) <= 0) {
                    v[n] = s.values[i];
                    p[n] = s.priorities[i];
                    n++;
                }
            }
        }
        values = v;
        priorities = p;
        size = n;
        sampled = bounded;
        thresholdPriority = tp;
        thresholdValue = tv;
        heap = false;
        if (size > capacity) {
            keepSmallest();
        }
    }

    /**
     * The distribution of the values kept; exact (rank error 0) while every value is, else with the
     * sampling bound of {@link #rankError()}.
     */
    public EmpiricalCdf distribution() {
        return EmpiricalCdf.exact(Arrays.copyOf(values, size), rankError());
    }

    /**
     * How far the kept values' distribution function may be from that of all values: 0 when exact,
     * the DKW bound for the sample size when sampled, plus what a restored format-1 sketch carried.
     */
    public double rankError() {
        double sampling =
                sampled && size > 0 ? Math.sqrt(Math.log(2 / BOUND_RISK) / (2.0 * size)) : 0.0;
        return Math.min(1.0, sampling + carriedRankError);
    }

    private void append(double value, long priority) {
        if (size == values.length) {
            int grown = (int) Math.min(capacity, Math.max(16L, 2L * values.length));
            values = Arrays.copyOf(values, grown);
            priorities = Arrays.copyOf(priorities, grown);
        }
        values[size] = value;
        priorities[size] = priority;
        size++;
    }

    /** Keeps the {@code capacity} smallest keys; the largest kept becomes the threshold. */
    private void keepSmallest() {
        Integer[] order = new Integer[size];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> compare(priorities[a], values[a], priorities[b], values[b]));
        double[] v = new double[capacity];
        long[] p = new long[capacity];
        // Descending: a valid max-heap, ready for the next add.
        for (int i = 0; i < capacity; i++) {
            int from = order[capacity - 1 - i];
            v[i] = values[from];
            p[i] = priorities[from];
        }
        values = v;
        priorities = p;
        size = capacity;
        heap = true;
        sampled = true;
        thresholdPriority = p[0];
        thresholdValue = v[0];
    }

    private void heapify() {
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
        heap = true;
    }

    private void siftDown(int i) {
        while (true) {
            int largest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && larger(left, largest)) {
                largest = left;
            }
            if (right < size && larger(right, largest)) {
                largest = right;
            }
            if (largest == i) {
                return;
            }
            double v = values[i];
            long p = priorities[i];
            values[i] = values[largest];
            priorities[i] = priorities[largest];
            values[largest] = v;
            priorities[largest] = p;
            i = largest;
        }
    }

    private boolean larger(int a, int b) {
        return compare(priorities[a], values[a], priorities[b], values[b]) > 0;
    }

    private static int compare(long p1, double v1, long p2, double v2) {
        int c = Long.compare(p1, p2);
        return c != 0 ? c : Double.compare(v1, v2);
    }

    /** Writes the sample (part of a pane's format 2). */
    void write(DataOutput out) throws IOException {
        out.writeInt(capacity);
        out.writeLong(count);
        out.writeBoolean(sampled);
        out.writeLong(thresholdPriority);
        out.writeDouble(thresholdValue);
        out.writeDouble(carriedRankError);
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeDouble(values[i]);
            out.writeLong(priorities[i]);
        }
    }

    static NumericSample read(DataInput in) throws IOException {
        NumericSample s = new NumericSample(in.readInt());
        s.count = in.readLong();
        s.sampled = in.readBoolean();
        s.thresholdPriority = in.readLong();
        s.thresholdValue = in.readDouble();
        s.carriedRankError = in.readDouble();
        int size = in.readInt();
        if (size < 0 || size > s.capacity) {
            throw new IOException("Sample of " + size + " values over its capacity " + s.capacity);
        }
        s.values = new double[size];
        s.priorities = new long[size];
        for (int i = 0; i < size; i++) {
            s.values[i] = in.readDouble();
            s.priorities[i] = in.readLong();
        }
        s.size = size;
        return s;
    }

    /**
     * A sample standing for what a format-1 KLL sketch of {@code count} values held ({@link
     * EmpiricalCdf#of(org.apache.datasketches.kll.KllDoublesSketch)}): each retained item repeated
     * by its weight, under priorities from its position (deterministic), and the sketch's rank
     * error carried along.
     */
    static NumericSample fromSketch(EmpiricalCdf sketch, long count, int capacity) {
        NumericSample s = new NumericSample(capacity);
        double[] items = sketch.values();
        long[] cumulative = sketch.cumulativeCounts();
        long index = 0;
        for (int i = 0; i < items.length; i++) {
            while (index < cumulative[i]) {
                s.add(items[i], priority(null, index++));
            }
        }
        s.count = count;
        s.carriedRankError = sketch.rankError();
        return s;
    }
}
