package io.recsys.monitor.job.lifecycle;

import java.nio.file.Path;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Points the log of a local run at {@code <output>/logs/recsys-monitor.log}. The launcher's log4j
 * configuration has no log file until {@code recsys.log.dir} is set, so that nothing is written
 * before the run holds its output directory's lock; this sets it (and Flink's {@code log.file},
 * which the web UI's log view reads) and reconfigures log4j.
 */
public final class RunLog {
    /** The system property the launcher's log4j configuration reads. */
    public static final String DIR_PROPERTY = "recsys.log.dir";

    /** The log's file name in its directory. */
    public static final String FILE = "recsys-monitor.log";

    private RunLog() {}

    /** The log directory of a run whose outputs are in {@code outputDir}. */
    public static Path directory(Path outputDir) {
        return outputDir.toAbsolutePath().resolve("logs");
    }

    /** Sends the log to {@link #directory(Path)} of {@code outputDir} from now on. */
    public static Path useOutputDirectory(Path outputDir) {
        Path dir = directory(outputDir);
        System.setProperty(DIR_PROPERTY, dir.toString());
        System.setProperty("log.file", dir.resolve(FILE).toString());
        Configurator.reconfigure();
        return dir.resolve(FILE);
    }
}
