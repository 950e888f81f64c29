package io.recsys.monitor.job.sink;

import io.recsys.monitor.model.DriftReport;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift-report output of a deployment without local files: one structured log line per report
 * (CloudWatch Logs on Managed Service for Apache Flink), a warning when drifted and info otherwise.
 * A report holds model, feature and test names and numbers, never user data. The drift metrics
 * themselves go to CloudWatch with the other metrics.
 */
public final class LoggedDriftReports extends LogSink<DriftReport> {
    private static final long serialVersionUID = 1L;

    @Override
    SinkWriter<DriftReport> writer() {
        return new Writer();
    }

    /** Logs each report. */
    static final class Writer implements SinkWriter<DriftReport> {
        private static final Logger LOG = LoggerFactory.getLogger(LoggedDriftReports.class);
        private static final String FORMAT =
                "event=drift_report model_version=\"{}\" feature=\"{}\" test={} statistic={}"
                        + " p_value={} effect_size={} n_reference={} n_current={} error_bound={}"
                        + " drifted={} severity={} retraining_recommended={}"
                        + " reference_version=\"{}\" window_start={} window_end={}";

        @Override
        public void write(DriftReport r, Context context) {
            Object[] fields = {
                r.modelVersion,
                r.feature,
                r.test,
                r.statistic,
                r.pValue,
                r.effectSize,
                r.nReference,
                r.nCurrent,
                r.errorBound,
                r.drifted,
                r.severity,
                r.retrainingRecommended,
                r.referenceVersion,
                r.windowStart,
                r.windowEnd
            };
            if (r.drifted) {
                LOG.warn(FORMAT, fields);
            } else {
                LOG.info(FORMAT, fields);
            }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
