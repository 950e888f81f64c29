package io.recsys.monitor.sinks.deadletter;

import static io.recsys.monitor.sinks.aws.EntryStateFields.readString;
import static io.recsys.monitor.sinks.aws.EntryStateFields.readStrings;
import static io.recsys.monitor.sinks.aws.EntryStateFields.writeString;
import static io.recsys.monitor.sinks.aws.EntryStateFields.writeStrings;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Writes the dead letters buffered in a {@link DeadLetterSink} writer into checkpoints and reads
 * them back on restore, so that dead letters accepted before a failure are still delivered after
 * it. Version {@value #VERSION}: entry id, body, partition key, attributes (see {@link
 * io.recsys.monitor.sinks.aws.EntryStateFields}); a change needs a new version and a reader of the
 * old one.
 */
public final class DeadLetterEntryStateSerializer
        extends AsyncSinkWriterStateSerializer<DeadLetterEntry> {

    static final int VERSION = 1;

    private static final String STATE = "dead-letter sink state";

    @Override
    protected void serializeRequestToStream(DeadLetterEntry entry, DataOutputStream out)
            throws IOException {
        writeString(out, entry.entryId);
        writeString(out, entry.body);
        writeString(out, entry.partitionKey);
        writeStrings(out, entry.attributes);
    }

    @Override
    protected DeadLetterEntry deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        DeadLetterEntry entry = new DeadLetterEntry();
        entry.entryId = readString(in, STATE);
        entry.body = readString(in, STATE);
        entry.partitionKey = readString(in, STATE);
        entry.attributes = readStrings(in, STATE);
        return entry;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }
}
