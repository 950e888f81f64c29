package io.recsys.monitor.job.state;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * How checkpoints stay short while the job works through a backlog, in the clusters this
 * application starts itself ({@code bench} and the local {@code run}): aligned checkpoints with
 * buffer debloating.
 *
 * <p>Through a backlog the job runs back-pressured (attribution is the slowest task), and an
 * aligned checkpoint's barrier waits behind every buffer queued in front of it. Buffer debloating
 * sizes those queues to about {@link TaskManagerOptions#BUFFER_DEBLOAT_TARGET} (1 s) of what each
 * task consumes, so a barrier crosses each exchange in about that time whatever the task's pace.
 * Unaligned checkpoints would let the barrier overtake the buffers instead, but they write the
 * buffers into the checkpoint, and they cannot pass a task that is busy firing timers (none of the
 * job's operators can interrupt a timer firing in Flink 1.20), which is where the slowest
 * checkpoints of a replay wait: when its bounded input ends, every timer fires at once.
 *
 * <p>On Managed Service for Apache Flink the service owns the task managers' configuration: it
 * lists what a job may set in code, and buffer debloating is not among it (docs/deploy.md).
 */
public final class BacklogCheckpoints {
    private BacklogCheckpoints() {}

    /** Configures the task managers and checkpoints of a cluster this application starts. */
    public static void configure(Configuration conf) {
        conf.set(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, true);
        // Stated, not left to a default: the barrier waits for the debloated buffers instead.
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
    }
}
