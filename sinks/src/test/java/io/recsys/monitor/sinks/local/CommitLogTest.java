package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitLogTest {

    @TempDir Path dir;

    @Test
    void answersTheLengthAtEveryCheckpoint() throws Exception {
        CommitLog log = CommitLog.empty(dir.resolve(".m.commits"));
        log.add(3, 100);
        log.add(7, 250);

        assertThat(log.lengthAt(2)).isZero();
        assertThat(log.lengthAt(3)).isEqualTo(100);
        assertThat(log.lengthAt(6)).isEqualTo(100);
        assertThat(log.lengthAt(7)).isEqualTo(250);
        assertThat(log.lengthAt(Long.MAX_VALUE)).isEqualTo(250);
        assertThat(log.isCommitted(7)).isTrue();
        assertThat(log.isCommitted(8)).isFalse();
    }

    @Test
    void survivesAWriteAndARead() throws Exception {
        Path path = dir.resolve(".m.commits");
        CommitLog log = CommitLog.empty(path);
        for (long id = 1; id <= CommitLog.MAX_ENTRIES + 5; id++) {
            log.add(id, id * 10);
        }
        log.write();

        CommitLog read = CommitLog.read(path);
        assertThat(read.entries()).isEqualTo(log.entries());
        assertThat(read.lengthAt(5)).isEqualTo(50);
        assertThat(path.resolveSibling(".m.commits.tmp")).doesNotExist();
    }

    @Test
    void staysBoundedAndKnowsWhereItsMemoryEnds() throws Exception {
        CommitLog log = CommitLog.empty(dir.resolve(".m.commits"));
        int commits = 3 * CommitLog.MAX_ENTRIES;
        for (long id = 1; id <= commits; id++) {
            log.add(id * 2, id);
        }

        // The kept entries and the floor, the last entry dropped.
        assertThat(log.entries()).hasSize(CommitLog.MAX_ENTRIES + 1);
        long floorId = log.entries().get(0).checkpointId();
        assertThat(floorId).isEqualTo(2L * (commits - CommitLog.MAX_ENTRIES));
        assertThat(log.lengthAt(floorId)).isEqualTo(commits - CommitLog.MAX_ENTRIES);
        assertThat(log.lengthAt(floorId + 1)).isEqualTo(commits - CommitLog.MAX_ENTRIES);
        assertThat(log.isCommitted(2)).isTrue();
        assertThatThrownBy(() -> log.lengthAt(floorId - 1))
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessageContaining("reaches back to checkpoint " + floorId);
    }

    @Test
    void dropsTheCommitsAfterARestoredCheckpoint() {
        CommitLog log = CommitLog.empty(dir.resolve(".m.commits"));
        log.add(1, 10);
        log.add(2, 20);
        log.add(3, 30);

        log.dropAfter(2);

        assertThat(log.lastCheckpointId()).hasValue(2);
        assertThat(log.committedLength()).isEqualTo(20);
        log.add(3, 25);
        assertThat(log.committedLength()).isEqualTo(25);
    }

    @Test
    void refusesACommitOutOfOrder() {
        CommitLog log = CommitLog.empty(dir.resolve(".m.commits"));
        log.add(5, 10);

        assertThatThrownBy(() -> log.add(5, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.add(4, 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedLogIsReportedWithItsPath() throws Exception {
        Path path = dir.resolve(".m.commits");
        Files.writeString(path, "1 10\n2 x\n");

        assertThatThrownBy(() -> CommitLog.read(path))
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessageContaining(path.toString());
    }
}
