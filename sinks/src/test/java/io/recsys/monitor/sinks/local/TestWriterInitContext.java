package io.recsys.monitor.sinks.local;

import java.util.OptionalLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.ProxyMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A {@link WriterInitContext} for testing sink writers without a cluster: a chosen subtask and
 * parallelism, and metrics registered on a {@link MetricListener} so that a test can read them.
 * flink-connector-base's {@code TestSinkInitContext} lives in a test jar this build does not use.
 */
final class TestWriterInitContext implements WriterInitContext {

    private final TaskInfo taskInfo;
    private final SinkWriterMetricGroup metricGroup;

    TestWriterInitContext(MetricListener metrics, int subtaskIndex, int parallelism) {
        this.taskInfo = new TaskInfoImpl("test-sink", 128, subtaskIndex, parallelism, 0);
        this.metricGroup = new ListenerSinkWriterMetricGroup(metrics);
    }

    @Override
    public TaskInfo getTaskInfo() {
        return taskInfo;
    }

    @Override
    public JobInfo getJobInfo() {
        return new JobInfoImpl(new JobID(), "test-job");
    }

    @Override
    public OptionalLong getRestoredCheckpointId() {
        return OptionalLong.empty();
    }

    @Override
    public SinkWriterMetricGroup metricGroup() {
        return metricGroup;
    }

    @Override
    public boolean isObjectReuseEnabled() {
        return false;
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        throw new UnsupportedOperationException("not needed by the writers under test");
    }

    @Override
    public MailboxExecutor getMailboxExecutor() {
        throw new UnsupportedOperationException("not needed by the writers under test");
    }

    @Override
    public ProcessingTimeService getProcessingTimeService() {
        throw new UnsupportedOperationException("not needed by the writers under test");
    }

    @Override
    public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
        throw new UnsupportedOperationException("not needed by the writers under test");
    }

    @Override
    public <IN> TypeSerializer<IN> createInputSerializer() {
        throw new UnsupportedOperationException("not needed by the writers under test");
    }

    /** Registers user metrics on the listener; the standard sink counters are left unread. */
    private static final class ListenerSinkWriterMetricGroup
            extends ProxyMetricGroup<org.apache.flink.metrics.MetricGroup>
            implements SinkWriterMetricGroup {

        private final Counter numRecordsOutErrors = new SimpleCounter();
        private final Counter numRecordsSendErrors = new SimpleCounter();
        private final Counter numRecordsSend = new SimpleCounter();
        private final Counter numBytesSend = new SimpleCounter();

        ListenerSinkWriterMetricGroup(MetricListener metrics) {
            super(metrics.getMetricGroup());
        }

        @Override
        public OperatorIOMetricGroup getIOMetricGroup() {
            return UnregisteredMetricsGroup.createOperatorIOMetricGroup();
        }

        @Override
        public Counter getNumRecordsOutErrorsCounter() {
            return numRecordsOutErrors;
        }

        @Override
        public Counter getNumRecordsSendErrorsCounter() {
            return numRecordsSendErrors;
        }

        @Override
        public Counter getNumRecordsSendCounter() {
            return numRecordsSend;
        }

        @Override
        public Counter getNumBytesSendCounter() {
            return numBytesSend;
        }

        @Override
        public void setCurrentSendTimeGauge(Gauge<Long> currentSendTimeGauge) {}
    }
}
