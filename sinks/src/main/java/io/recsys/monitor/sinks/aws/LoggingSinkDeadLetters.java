package io.recsys.monitor.sinks.aws;

import io.recsys.monitor.model.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each rejected record as one structured warning: category, reason, source, size. */
public final class LoggingSinkDeadLetters implements SinkDeadLetters {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSinkDeadLetters.class);

    @Override
    public void accept(DeadLetter d) {
        LOG.warn(
                "event=sink_dead_letter category={} source={} reason=\"{}\" raw_chars={}",
                d.category,
                d.source,
                d.reason,
                d.raw == null ? 0 : d.raw.length());
    }
}
