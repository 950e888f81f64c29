package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DeadLetterEventTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gives dead letters, which have no event time in the stream, the timestamp of {@link
 * DeadLetterEventTime#timestamp} at their split's current watermark, for the data quality windows
 * that count them, while forwarding the watermarks unchanged. A timestamp assigner would not do: it
 * replaces the watermarks, and the windows downstream must follow the input's event time.
 *
 * <p>Before the split's first watermark nothing vouches for a time: the time the job received a
 * dead letter is the wall clock (in a replay, today, far from the data, where a window of dead
 * letters alone raised volume alarms), and a time read from a broken line may be anything. So dead
 * letters are held, in checkpointed operator state, and released at the first watermark: at the
 * event time of the newest event it was made from (the watermark + 1 + the out-of-orderness), or
 * the time they claim if later (up to a period after it). Not at the watermark + 1: it lies up to
 * the out-of-orderness before the first event, often in the hour before the data, whose window
 * would then count nothing but dead letters (EventVolume 0, a P0 volume alarm). Held rather than
 * excluded, because a file that starts with broken lines must still show them in InvalidEvents.
 *
 * <p>At most {@code capacity} are held per subtask, each as a {@link HeldDeadLetter} (raw text cut,
 * claimed time kept): a split that brings nothing but broken lines cannot fill the heap. Those
 * beyond it, those held when the input ends before any watermark, and any after the last watermark
 * are excluded from the windowed counts; they are still written to the dead-letter output (which
 * reads the stream before this operator) and are counted in {@link #EXCLUDED_COUNTER} (group {@code
 * kinesisanalytics}: the web UI's metrics of this operator; CloudWatch on Managed Service for
 * Apache Flink) and the accumulator {@link #EXCLUDED_ACCUMULATOR} (the replay summary).
 */
public class DeadLetterTimestamps extends AbstractStreamOperator<DeadLetter>
        implements OneInputStreamOperator<DeadLetter, DeadLetter> {
    private static final long serialVersionUID = 1L;

    /** Most dead letters held for the first watermark per subtask. */
    public static final int DEFAULT_CAPACITY = 4096;

    /** State name: stable, so that savepoints restore. */
    static final String HELD_STATE = "dead-letters-held-for-event-time";

    /** Dead letters left out of every time window (metric, group {@code kinesisanalytics}). */
    public static final String EXCLUDED_COUNTER = "deadLettersExcludedFromWindows";

    /** Dead letters held now for the first watermark (gauge, group {@code kinesisanalytics}). */
    public static final String HELD_GAUGE = "deadLettersHeldForEventTime";

    /** The replay summary's count of {@link #EXCLUDED_COUNTER}. */
    public static final String EXCLUDED_ACCUMULATOR = "dead-letters-excluded-from-windows";

    private final long outOfOrdernessMillis;
    private final long maxAheadMillis;
    private final int capacity;

    private transient long watermark;
    private transient List<HeldDeadLetter> held;
    private transient ListState<HeldDeadLetter> heldState;
    private transient Counter excluded;
    private transient LongCounter excludedTotal;

    /**
     * @param outOfOrdernessMillis how far the input's watermarks trail its newest event time
     * @param periodMillis the period of the windows that count dead letters: how far after the
     *     newest event time a time a dead letter claims is kept
     */
    public DeadLetterTimestamps(long outOfOrdernessMillis, long periodMillis) {
        this(outOfOrdernessMillis, periodMillis, DEFAULT_CAPACITY);
    }

    public DeadLetterTimestamps(long outOfOrdernessMillis, long periodMillis, int capacity) {
        if (outOfOrdernessMillis < 0 || periodMillis < 0 || capacity < 0) {
            throw new IllegalArgumentException(
                    "out-of-orderness, period and capacity must be >= 0, got "
                            + outOfOrdernessMillis
                            + ", "
                            + periodMillis
                            + ", "
                            + capacity);
        }
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.maxAheadMillis = outOfOrdernessMillis + periodMillis;
        this.capacity = capacity;
        // Chained to the split, it sees the watermark of the subtask that met the dead letter.
        // Across the network it saw one that trailed by the output buffers' flush interval,
        // which at a fast replay's pace is minutes of event time.
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        heldState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        HELD_STATE, TypeInformation.of(HeldDeadLetter.class)));
        held = new ArrayList<>();
        // All that was held is kept, even beyond the capacity after a rescale to fewer subtasks:
        // the bound is per subtask that holds, so the total stays what the old subtasks held.
        for (HeldDeadLetter h : heldState.get()) {
            held.add(h);
        }
        // Flink keeps no watermark across a restore: the first one after it releases them.
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup group = getMetricGroup().addGroup("kinesisanalytics");
        excluded = group.counter(EXCLUDED_COUNTER);
        group.gauge(HELD_GAUGE, () -> held.size());
        excludedTotal = new LongCounter();
        getRuntimeContext().addAccumulator(EXCLUDED_ACCUMULATOR, excludedTotal);
    }

    @Override
    public void processElement(StreamRecord<DeadLetter> element) {
        DeadLetter deadLetter = element.getValue();
        if (DeadLetterEventTime.canPlace(watermark)) {
            output.collect(
                    element.replace(
                            deadLetter,
                            DeadLetterEventTime.timestamp(deadLetter, watermark, maxAheadMillis)));
        } else if (watermark == Long.MIN_VALUE && held.size() < capacity) {
            held.add(HeldDeadLetter.of(deadLetter));
        } else {
            exclude(1);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        if (!held.isEmpty() && watermark != Long.MIN_VALUE) {
            release();
        }
        super.processWatermark(mark);
    }

    /**
     * Emits what was held, at or after the newest event time behind the first watermark, before the
     * watermark: none of it is late.
     */
    private void release() {
        if (!DeadLetterEventTime.canPlace(watermark)) {
            // The input ended before any event gave it a time: no window of the data to join.
            exclude(held.size());
        } else {
            // The watermark trails the newest event by the out-of-orderness and 1 ms: placed as
            // at a watermark that much later, they land on that event's time or after it.
            long atNewestEvent = watermark + outOfOrdernessMillis;
            for (HeldDeadLetter h : held) {
                output.collect(
                        new StreamRecord<>(
                                h.deadLetter,
                                DeadLetterEventTime.place(
                                        h.claimed(),
                                        atNewestEvent,
                                        maxAheadMillis - outOfOrdernessMillis)));
            }
        }
        held.clear();
    }

    private void exclude(int count) {
        excluded.inc(count);
        excludedTotal.add(count);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        heldState.update(held);
    }
}
