package io.recsys.monitor.job.bench;

import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.job.sink.LocalOutputs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where the bench's job writes: nowhere (the graph alone), the files a local run writes, or those
 * files with the live dashboard serving them to a client that asks as the page does. The last two
 * measure what the outputs and the dashboard cost a local run.
 */
public enum BenchOutputs {
    /** Sinks that drop every record. */
    DISCARD("records discarded"),
    /** The file sinks of {@code run}, committed on checkpoint, in a temporary directory. */
    FILES("records written to the files of a local run"),
    /** {@link #FILES}, read by the live dashboard for a client polling it as the page does. */
    DASHBOARD("records written to the files of a local run, served by the live dashboard");

    private final String description;

    BenchOutputs(String description) {
        this.description = description;
    }

    /** The name on the command line and in the figures. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What happens to the job's records, for the printed report. */
    public String description() {
        return description;
    }

    /** The outputs named {@code label}. */
    public static BenchOutputs of(String label) {
        return Arrays.stream(values())
                .filter(o -> o.label().equals(label))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "outputs must be discard, files or dashboard, got "
                                                + label));
    }

    /** The sinks of the job; files go to {@code directory}. */
    MonitorSinks sinks(Path directory) {
        return this == DISCARD ? new DiscardingOutputs() : LocalOutputs.fresh(directory, false);
    }
}
