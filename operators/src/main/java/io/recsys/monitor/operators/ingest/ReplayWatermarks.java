package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.InputRecord;
import java.util.Collections;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.LongPrimitiveArraySerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Event time and watermarks of a source whose event time follows the data, not the clock (a replay
 * of files, the generator): each event's own {@code event_time}, and a watermark that trails the
 * newest event time by the out-of-orderness, emitted as the data moves it (at most once per {@code
 * granularity} of event time), never by a wall-clock timer.
 *
 * <p>Flink's periodic watermarks are emitted every 200 ms of wall-clock time, so how many events
 * pass before the watermark moves, and with it which events are late and in which window a dead
 * letter (which has no event time of its own) is counted, depends on the pace of the run. Here the
 * watermark at each event is a function of the events before it alone: the same output in every
 * run. The newest event time and the last watermark are checkpointed, and after a restore that
 * watermark is emitted again before any event, so that a resumed run judges lateness as an
 * uninterrupted one would (Flink keeps no watermark across a restore).
 *
 * <p>Upstream watermarks are ignored except the final one at the end of the input, as Flink's own
 * timestamp assigner does.
 */
public final class ReplayWatermarks extends AbstractStreamOperator<InputRecord>
        implements OneInputStreamOperator<InputRecord, InputRecord> {
    private static final long serialVersionUID = 1L;

    private final long outOfOrdernessMillis;
    private final long granularityMillis;

    private transient ListState<long[]> checkpointed;
    private transient long newestEventTime;
    private transient long watermark;
    private transient boolean restored;

    /**
     * @param outOfOrdernessMillis how far behind the newest event time an event may be and still
     *     count
     * @param granularityMillis the least event time by which a watermark moves: a watermark per
     *     event would cost more than the events themselves
     */
    public ReplayWatermarks(long outOfOrdernessMillis, long granularityMillis) {
        if (outOfOrdernessMillis < 0 || granularityMillis < 1) {
            throw new IllegalArgumentException(
                    "out-of-orderness must be >= 0 and granularity >= 1 ms");
        }
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.granularityMillis = granularityMillis;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointed =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "replay-event-time",
                                        LongPrimitiveArraySerializer.INSTANCE));
        newestEventTime = Long.MIN_VALUE;
        watermark = Long.MIN_VALUE;
        // After a rescale a subtask may get several entries or none: the newest of what it got.
        for (long[] entry : checkpointed.get()) {
            newestEventTime = Math.max(newestEventTime, entry[0]);
            watermark = Math.max(watermark, entry[1]);
        }
        restored = watermark != Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (restored) {
            output.emitWatermark(new Watermark(watermark));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.update(Collections.singletonList(new long[] {newestEventTime, watermark}));
    }

    @Override
    public void processElement(StreamRecord<InputRecord> element) {
        long eventTime = element.getValue().eventTime();
        output.collect(element.replace(element.getValue(), eventTime));
        if (eventTime <= newestEventTime) {
            return;
        }
        newestEventTime = eventTime;
        long next =
                WatermarkPace.next(watermark, eventTime, outOfOrdernessMillis, granularityMillis);
        if (next != watermark) {
            watermark = next;
            output.emitWatermark(new Watermark(next));
        }
    }

    @Override
    public void processWatermark(Watermark mark) {
        if (mark.getTimestamp() == Long.MAX_VALUE && watermark != Long.MAX_VALUE) {
            watermark = Long.MAX_VALUE;
            output.emitWatermark(mark);
        }
    }

    /** The arithmetic of the watermark, apart from the operator. */
    static final class WatermarkPace {
        private WatermarkPace() {}

        /**
         * The watermark after an event of {@code eventTime}, the newest so far, given the current
         * {@code watermark}: the event time less the out-of-orderness (and the millisecond a
         * watermark means: no later event at or before it), once it has moved by {@code
         * granularity}; else the current one.
         */
        static long next(long watermark, long eventTime, long outOfOrderness, long granularity) {
            if (eventTime == Long.MIN_VALUE) {
                return watermark;
            }
            long candidate = eventTime - outOfOrderness - 1;
            if (watermark == Long.MIN_VALUE) {
                return candidate;
            }
            return candidate - watermark >= granularity ? candidate : watermark;
        }
    }
}
