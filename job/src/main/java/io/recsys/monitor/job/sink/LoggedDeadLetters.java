package io.recsys.monitor.job.sink;

import io.recsys.monitor.model.DeadLetter;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter output of a deployment without local files (Managed Service for Apache Flink
 * sends logs to CloudWatch Logs): one structured warning per dead letter, with its category,
 * reason, source and size, at most {@value #LINES_PER_MINUTE} lines a minute per subtask so that a
 * flood of bad input cannot flood the logs; what is held back is reported as a count. Every dead
 * letter is also counted in the job's invalid-event metrics. The raw text is not logged: it may
 * hold a user id, which must never reach a log.
 */
public final class LoggedDeadLetters extends LogSink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    static final int LINES_PER_MINUTE = 60;

    @Override
    SinkWriter<DeadLetter> writer() {
        return new Writer();
    }

    /** Logs dead letters under a per-minute budget. */
    static final class Writer implements SinkWriter<DeadLetter> {
        private static final Logger LOG = LoggerFactory.getLogger(LoggedDeadLetters.class);

        private long minute = -1;
        private int logged;
        private long suppressed;

        @Override
        public void write(DeadLetter d, Context context) {
            long now = System.currentTimeMillis() / 60_000L;
            if (now != minute) {
                if (suppressed > 0) {
                    LOG.warn("event=dead_letters_suppressed count={}", suppressed);
                }
                minute = now;
                logged = 0;
                suppressed = 0;
            }
            if (logged < LINES_PER_MINUTE) {
                logged++;
                LOG.warn(
                        "event=dead_letter category={} source={} reason=\"{}\" raw_chars={}",
                        d.category,
                        d.source,
                        d.reason,
                        d.raw == null ? 0 : d.raw.length());
            } else {
                suppressed++;
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            if (endOfInput && suppressed > 0) {
                LOG.warn("event=dead_letters_suppressed count={}", suppressed);
                suppressed = 0;
            }
        }

        @Override
        public void close() {}
    }
}
