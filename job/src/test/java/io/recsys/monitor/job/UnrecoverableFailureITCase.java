package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.time.Duration;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flink 1.20's failure handler does not restart a job that fails with an {@link
 * UnrecoverableFailure} anywhere in its cause chain, whatever the restart strategy allows; any
 * other failure is restarted. The failing task's attempt number says how often it ran.
 */
class UnrecoverableFailureITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void anUnrecoverableFailureIsNotRestarted() {
        Throwable failure = run(true);
        assertThat(ExceptionUtils.findThrowable(failure, UnrecoverableFailure.class))
                .hasValueSatisfying(
                        f -> assertThat(f).hasMessage("cannot heal, attempt 0 of the task"));
    }

    @Test
    void anyOtherFailureIsRestartedAsTheStrategyAllows() {
        Throwable failure = run(false);
        assertThat(ExceptionUtils.findThrowable(failure, IllegalStateException.class))
                .hasValueSatisfying(
                        f -> assertThat(f).hasMessage("transient, attempt 3 of the task"));
    }

    /** Runs a job that fails on its first record, with three restarts allowed. */
    private static Throwable run(boolean unrecoverable) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromSequence(1, 1).map(new Failing(unrecoverable)).print();
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> env.execute("unrecoverable-" + unrecoverable))
                .satisfies(t -> thrown[0] = t);
        return thrown[0];
    }

    private static final class Failing extends RichMapFunction<Long, Long> {
        private final boolean unrecoverable;

        Failing(boolean unrecoverable) {
            this.unrecoverable = unrecoverable;
        }

        @Override
        public Long map(Long value) {
            int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            if (unrecoverable) {
                throw new UnrecoverableFailure("cannot heal, attempt " + attempt + " of the task");
            }
            throw new IllegalStateException("transient, attempt " + attempt + " of the task");
        }
    }
}
