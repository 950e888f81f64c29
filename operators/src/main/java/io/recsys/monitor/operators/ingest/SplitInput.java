package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.FeedbackEventSerializer;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.PredictionEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits parsed input into predictions (main output), feedback and dead letters (side outputs), and
 * counts what it sees: events read, invalid events by category, and events that arrive behind the
 * watermark. Counters sit in the {@code kinesisanalytics} group, which Managed Service for Apache
 * Flink forwards to CloudWatch; accumulators feed the replay summary.
 */
public class SplitInput extends ProcessFunction<InputRecord, PredictionEvent> {
    private static final long serialVersionUID = 1L;

    /** Read, never changed, by the operators chained to it: they share each event. */
    public static final OutputTag<FeedbackEvent> FEEDBACK =
            new OutputTag<>("feedback", FeedbackEventSerializer.TYPE);

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<DeadLetter>("dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    /** Accumulator names, read by the replay summary. */
    public static final String EVENTS_READ = "events-read";

    public static final String INVALID_EVENTS = "invalid-events";
    public static final String LATE_EVENTS = "late-events";

    private transient Counter eventsRead;
    private transient Counter invalidEvents;
    private transient Counter lateEvents;
    private transient MetricGroup invalidByCategory;
    private transient Map<String, Counter> invalidCounters;
    private transient LongCounter eventsReadTotal;
    private transient LongCounter invalidTotal;
    private transient LongCounter lateTotal;

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
        eventsRead = group.counter("eventsRead");
        invalidEvents = group.counter("invalidEvents");
        lateEvents = group.counter("lateEvents");
        invalidByCategory = group.addGroup("invalidEventsByReason");
        invalidCounters = new HashMap<>();
        eventsReadTotal = new LongCounter();
        invalidTotal = new LongCounter();
        lateTotal = new LongCounter();
        getRuntimeContext().addAccumulator(EVENTS_READ, eventsReadTotal);
        getRuntimeContext().addAccumulator(INVALID_EVENTS, invalidTotal);
        getRuntimeContext().addAccumulator(LATE_EVENTS, lateTotal);
    }

    @Override
    public void processElement(InputRecord record, Context ctx, Collector<PredictionEvent> out) {
        eventsRead.inc();
        eventsReadTotal.add(1);
        if (record.deadLetter != null) {
            invalidEvents.inc();
            invalidTotal.add(1);
            invalidCounters
                    .computeIfAbsent(record.deadLetter.category, c -> invalidByCategory.counter(c))
                    .inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
            return;
        }
        if (record.eventTime() <= ctx.timerService().currentWatermark()) {
            // Still processed: attribution and windows decide what a late event can change.
            lateEvents.inc();
            lateTotal.add(1);
        }
        if (record.prediction != null) {
            out.collect(record.prediction);
        } else {
            ctx.output(FEEDBACK, record.feedback);
        }
    }
}
