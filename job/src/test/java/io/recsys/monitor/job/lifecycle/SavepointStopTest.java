package io.recsys.monitor.job.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.junit.jupiter.api.Test;

class SavepointStopTest {

    /**
     * Attempts that fail as Flink's client reports a declined savepoint, then one that succeeds.
     */
    private static Supplier<CompletableFuture<String>> attempts(
            AtomicInteger made, Throwable... failures) {
        Deque<Throwable> left = new ArrayDeque<>(java.util.List.of(failures));
        return () -> {
            made.incrementAndGet();
            Throwable failure = left.poll();
            return failure == null
                    ? CompletableFuture.completedFuture("file:/out/savepoints/savepoint-1")
                    : CompletableFuture.failedFuture(new CompletionException(failure));
        };
    }

    private static CheckpointException declined() {
        return new CheckpointException(CheckpointFailureReason.TASK_CHECKPOINT_FAILURE);
    }

    @Test
    void aDeclinedSavepointIsTriedAgainUntilOneIsTaken() throws Exception {
        AtomicInteger made = new AtomicInteger();
        CompletableFuture<String> stop =
                SavepointStop.retrying(attempts(made, declined(), declined()), 6, Runnable::run);
        assertThat(stop.get()).isEqualTo("file:/out/savepoints/savepoint-1");
        assertThat(made).hasValue(3);
    }

    @Test
    void aSavepointDeclinedEveryTimeFailsAfterTheLastAttempt() {
        AtomicInteger made = new AtomicInteger();
        CompletableFuture<String> stop =
                SavepointStop.retrying(
                        attempts(made, declined(), declined(), declined(), declined()),
                        3,
                        Runnable::run);
        assertThatThrownBy(stop::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CheckpointException.class);
        assertThat(made).hasValue(3);
    }

    @Test
    void aStopRefusedForAnotherReasonIsNotRepeated() {
        AtomicInteger made = new AtomicInteger();
        CompletableFuture<String> stop =
                SavepointStop.retrying(
                        attempts(made, new IllegalStateException("job is not running")),
                        6,
                        Runnable::run);
        assertThatThrownBy(stop::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("job is not running");
        assertThat(made).hasValue(1);
    }

    @Test
    void aCheckpointFailureAnywhereInTheCausesCountsAsDeclined() {
        assertThat(
                        SavepointStop.declined(
                                new CompletionException(new RuntimeException(declined()))))
                .isTrue();
        assertThat(SavepointStop.declined(new CompletionException(new RuntimeException("gone"))))
                .isFalse();
    }
}
