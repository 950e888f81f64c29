package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DeadLetter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gives dead letters, which have no event time in the stream, the timestamp of {@link
 * DeadLetterEventTime#timestamp} while forwarding the watermarks unchanged. A timestamp assigner
 * would not do: it replaces the watermarks, and the data quality windows downstream must follow the
 * input's event time.
 */
public class DeadLetterTimestamps extends AbstractStreamOperator<DeadLetter>
        implements OneInputStreamOperator<DeadLetter, DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final long maxAheadMillis;
    private transient long watermark = Long.MIN_VALUE;

    public DeadLetterTimestamps(long maxAheadMillis) {
        this.maxAheadMillis = maxAheadMillis;
        // Chained to the split, it sees the watermark of the subtask that met the dead letter.
        // Across the network it saw one that trailed by the output buffers' flush interval,
        // which at a fast replay's pace is minutes of event time.
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<DeadLetter> element) {
        DeadLetter deadLetter = element.getValue();
        output.collect(
                element.replace(
                        deadLetter,
                        DeadLetterEventTime.timestamp(deadLetter, watermark, maxAheadMillis)));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }
}
