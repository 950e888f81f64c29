package io.recsys.monitor.sinks.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The time bound on a sink's retries, on a clock the test moves. */
class RetryBoundTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final RetryBound bound = new RetryBound(Duration.ofSeconds(10), now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void failuresWithinTheLimitAreRetried() {
        assertThat(bound.exhausted()).isFalse();
        advance(Duration.ofSeconds(10));
        assertThat(bound.exhausted()).as("exactly the limit").isFalse();
    }

    @Test
    void failuresBeyondTheLimitWithNoSuccessBetweenExhaustIt() {
        assertThat(bound.exhausted()).isFalse();
        advance(Duration.ofSeconds(6));
        assertThat(bound.exhausted()).isFalse();
        advance(Duration.ofSeconds(5));
        assertThat(bound.exhausted()).isTrue();
    }

    @Test
    void aSuccessStartsANewCount() {
        assertThat(bound.exhausted()).isFalse();
        advance(Duration.ofSeconds(9));
        bound.succeeded();
        advance(Duration.ofSeconds(9));
        assertThat(bound.exhausted()).as("first failure after the success").isFalse();
        advance(Duration.ofSeconds(9));
        assertThat(bound.exhausted()).isFalse();
        advance(Duration.ofSeconds(2));
        assertThat(bound.exhausted()).isTrue();
    }

    @Test
    void aLongQuietSpellIsNotCountedAsFailing() {
        advance(Duration.ofHours(1));
        assertThat(bound.exhausted()).isFalse();
    }
}
