package io.recsys.monitor.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.MonitorConfig;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class ReplayInputTest {

    @Test
    void eachSubtaskRangeReplaysEveryPthLineInOrder() {
        int count = 12;
        int parallelism = 3;
        // The number source gives subtask k the indexes [4k, 4k + 4).
        for (int k = 0; k < parallelism; k++) {
            for (int j = 0; j < 4; j++) {
                assertThat(ReplayInput.position(4L * k + j, count, parallelism))
                        .isEqualTo(k + j * parallelism);
            }
        }
    }

    @Test
    void positionsCoverEveryLineOnce() {
        int count = 1_000;
        for (int parallelism : new int[] {1, 2, 4, 5}) {
            BitSet seen = new BitSet(count);
            for (long i = 0; i < count; i++) {
                int position = ReplayInput.position(i, count, parallelism);
                assertThat(seen.get(position)).isFalse();
                seen.set(position);
            }
            assertThat(seen.cardinality()).isEqualTo(count);
        }
    }

    @Test
    void replaysAMultipleOfTheParallelism() {
        assertThat(ReplayInput.replayable(2_000_001, 2)).isEqualTo(2_000_000);
        assertThat(ReplayInput.replayable(7, 3)).isEqualTo(6);
        assertThat(ReplayInput.replayable(1, 2)).isZero();
        assertThatThrownBy(
                        () ->
                                ReplayInput.register(
                                        new String[] {"a", "b", "c"}, 2, MonitorConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of the parallelism");
    }

    @Test
    void theLastLinesWaitForAFirstCheckpointOnlyWhileNoneHasCompleted() {
        ReplayInput.Progress progress = new ReplayInput.Progress(new String[6], 2);
        for (long i = 0; i < 4; i++) {
            assertThat(progress.mustHold()).isFalse();
            progress.line(i);
        }
        // Two lines left for two subtasks: they wait.
        assertThat(progress.mustHold()).isTrue();
        progress.checkpointCompleted();
        assertThat(progress.mustHold()).isFalse();
        assertThat(progress.emitted()).isEqualTo(4);
        assertThat(progress.firstRecordNanos()).isPositive();
    }
}
