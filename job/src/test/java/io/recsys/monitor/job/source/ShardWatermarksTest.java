package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.operators.ingest.InputWatermarks;
import java.time.Duration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("deprecation")
class ShardWatermarksTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

    private ShardWatermarks shard;

    @BeforeEach
    void newShard() throws Exception {
        // The connector clones the configured assigner for every shard it reads.
        shard =
                InstantiationUtil.clone(
                        new ShardWatermarks(
                                InputWatermarks.strategy(OUT_OF_ORDERNESS, Duration.ZERO)));
    }

    private static InputRecord event(long time) {
        FeedbackEvent f = new FeedbackEvent();
        f.requestId = "r";
        f.userId = "u";
        f.itemId = "i";
        f.action = FeedbackAction.CLICK;
        f.eventTime = time;
        return InputRecord.of(f);
    }

    private static InputRecord deadLetter() {
        return InputRecord.of(
                new DeadLetter(DeadLetter.Reason.INVALID_JSON, "bad", "x", "kinesis:s", T0));
    }

    @Test
    void noWatermarkBeforeTheFirstEvent() {
        assertThat(shard.getCurrentWatermark()).isNull();
    }

    @Test
    void watermarkTrailsTheNewestEventByTheOutOfOrderness() {
        assertThat(shard.extractTimestamp(event(T0 + 60_000), Long.MIN_VALUE))
                .isEqualTo(T0 + 60_000);
        shard.extractTimestamp(event(T0 + 10_000), T0 + 60_000);

        // Bounded out-of-orderness: newest - out-of-orderness - 1 ms.
        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(T0 + 60_000 - 30_000 - 1);
    }

    @Test
    void deadLettersNeitherMoveNorStartTheWatermark() {
        assertThat(shard.extractTimestamp(deadLetter(), Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(shard.getCurrentWatermark()).isNull();

        shard.extractTimestamp(event(T0), Long.MIN_VALUE);
        long before = shard.getCurrentWatermark().getTimestamp();
        shard.extractTimestamp(deadLetter(), T0);

        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(before);
    }

    @Test
    void watermarkNeverGoesBack() {
        shard.extractTimestamp(event(T0 + 120_000), Long.MIN_VALUE);
        long high = shard.getCurrentWatermark().getTimestamp();
        shard.extractTimestamp(event(T0), T0 + 120_000);

        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(high);
    }

    @Test
    void clonesKeepTheirOwnWatermark() throws Exception {
        ShardWatermarks other = InstantiationUtil.clone(shard);
        shard.extractTimestamp(event(T0 + 60_000), Long.MIN_VALUE);

        assertThat(other.getCurrentWatermark()).isNull();
    }
}
