package io.recsys.monitor.job.source;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Holds back event time for a while after the source starts, passing records through.
 *
 * <p>Why: {@code FlinkKinesisConsumer} 4.x leaves a shard out of its watermark until the shard has
 * emitted a first record, and marks a subtask whose shards have emitted nothing as idle. When one
 * shard's reader starts a few seconds after another's (a loaded machine, a restart reading a
 * backlog), the first shard alone moves event time, possibly hours ahead, and the late shard's
 * events are then late: feedback falls outside its windows, CTR comes out wrong. Holding the
 * watermark for the warm-up gives every shard the time to deliver its first record; the records
 * themselves flow at once. The end of input passes straight through.
 */
final class EventTimeWarmUp<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final long warmUpMillis;

    private transient boolean released;
    private transient Watermark held;

    EventTimeWarmUp(long warmUpMillis) {
        this.warmUpMillis = warmUpMillis;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        released = warmUpMillis <= 0;
        if (!released) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + warmUpMillis, this);
        }
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (released || mark.getTimestamp() == Long.MAX_VALUE) {
            super.processWatermark(mark);
        } else if (held == null || mark.getTimestamp() > held.getTimestamp()) {
            held = mark;
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        released = true;
        if (held != null) {
            super.processWatermark(held);
            held = null;
        }
    }
}
