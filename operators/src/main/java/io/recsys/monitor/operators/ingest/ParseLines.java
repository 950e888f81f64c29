package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.RawLine;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;

/**
 * Parses the lines of a file, handed over as bytes, into {@link InputRecord}s. The bytes are
 * decoded by the parser, which rejects invalid UTF-8 instead of replacing it, and a line the reader
 * cut for its length becomes a {@code limit_exceeded} dead letter.
 */
public class ParseLines extends RichMapFunction<RawLine, InputRecord> {
    private static final long serialVersionUID = 1L;

    private final EventLimits limits;
    private final String source;
    private transient EventParser parser;

    public ParseLines(EventLimits limits, String source) {
        this.limits = limits;
        this.source = source;
    }

    @Override
    public void open(Configuration parameters) {
        parser = new EventParser(limits);
    }

    @Override
    public InputRecord map(RawLine line) {
        return parser.parse(line, source, System.currentTimeMillis());
    }
}
