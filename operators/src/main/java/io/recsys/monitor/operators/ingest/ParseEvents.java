package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.InputRecord;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;

/**
 * Parses raw JSON text from a source into an {@link InputRecord}. Bad input becomes a dead letter
 * inside the record, so that one malformed line never fails the job nor the lines around it.
 */
public class ParseEvents extends RichMapFunction<String, InputRecord> {
    private static final long serialVersionUID = 1L;

    private final EventLimits limits;
    private final String source;
    private transient EventParser parser;

    public ParseEvents(EventLimits limits, String source) {
        this.limits = limits;
        this.source = source;
    }

    @Override
    public void open(Configuration parameters) {
        parser = new EventParser(limits);
    }

    @Override
    public InputRecord map(String raw) {
        return parser.parse(raw, source, System.currentTimeMillis());
    }
}
