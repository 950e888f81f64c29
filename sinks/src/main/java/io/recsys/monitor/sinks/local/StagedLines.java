package io.recsys.monitor.sinks.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The committable of a {@link JsonLinesFileSink}: the lines of one checkpoint, staged under that
 * checkpoint's id. The id is enough to find the staging file and to order the commits, and it is
 * what the commit log records.
 */
public final class StagedLines {

    private final long checkpointId;

    /** The lines staged for {@code checkpointId}. */
    public StagedLines(long checkpointId) {
        this.checkpointId = checkpointId;
    }

    /** The checkpoint whose barrier ended the period of these lines. */
    public long checkpointId() {
        return checkpointId;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StagedLines && ((StagedLines) other).checkpointId == checkpointId;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(checkpointId);
    }

    @Override
    public String toString() {
        return "StagedLines{checkpointId=" + checkpointId + "}";
    }

    /** Serializer of {@link StagedLines} in checkpoints: version 1, the id as 8 bytes. */
    static final class Serializer implements SimpleVersionedSerializer<StagedLines> {
        static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(StagedLines staged) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(8);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeLong(staged.checkpointId());
            }
            return bytes.toByteArray();
        }

        @Override
        public StagedLines deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Unknown version " + version + " of staged lines");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new StagedLines(in.readLong());
            }
        }
    }

    /** Serializer of the writer's result, the name of a pending staging file. */
    static final class PendingFileSerializer implements SimpleVersionedSerializer<String> {
        static final PendingFileSerializer INSTANCE = new PendingFileSerializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(String name) {
            return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Unknown version " + version + " of a pending file name");
            }
            return new String(serialized, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
