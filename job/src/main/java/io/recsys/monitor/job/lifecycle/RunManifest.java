package io.recsys.monitor.job.lifecycle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a later {@code run} on the same output directory needs to know of the run before it: whether
 * it ended, the settings that define its input and graph, where its checkpoints are, its Flink job
 * id and the savepoint it stopped with. Kept as {@code run.json} in the output directory and
 * replaced atomically (a temporary file renamed over it), so that a kill at any moment leaves the
 * previous manifest or the new one, never half of one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class RunManifest {
    /** The manifest's file name in the output directory. */
    public static final String FILE = "run.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How a run ended, as far as its manifest knows. */
    public enum State {
        /** Started and not (yet) ended: still running, crashed or killed. */
        RUNNING,
        /** Stopped with a savepoint (Ctrl-C). */
        STOPPED,
        /** Failed after its restarts or with an error that no restart heals. */
        FAILED,
        /** Read all of its bounded input. */
        FINISHED
    }

    public State state = State.RUNNING;
    public Map<String, String> settings = new TreeMap<>();
    public String checkpointDir;
    public String jobId;
    public String lastSavepoint;
    public String restoredFrom;
    public long pid;
    public String started;

    /** Whether a new run may continue this one (it did not read all of its input). */
    public boolean unfinished() {
        return state != State.FINISHED;
    }

    /**
     * The manifest in {@code outputDir}, empty when there is none.
     *
     * @throws IOException when it exists but cannot be read or parsed
     */
    public static Optional<RunManifest> read(Path outputDir) throws IOException {
        Path file = outputDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        RunManifest manifest = JSON.readValue(file.toFile(), RunManifest.class);
        if (manifest.state == null || manifest.settings == null || manifest.jobId == null) {
            throw new IOException("incomplete run manifest " + file);
        }
        return Optional.of(manifest);
    }

    /** Writes this manifest to {@code outputDir}, replacing the old one in one step. */
    public void write(Path outputDir) throws IOException {
        Path file = outputDir.resolve(FILE);
        Path temporary = outputDir.resolve("." + FILE + ".tmp");
        Files.write(temporary, JSON.writeValueAsBytes(this));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(
                    temporary,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
