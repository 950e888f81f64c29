package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.sinks.aws.EntryStateSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The dead letters buffered in a {@link DeadLetterSink} writer, in checkpoints: dead letters
 * accepted before a failure are still delivered after it. Version 1: entry id, body, partition key,
 * attributes.
 */
public final class DeadLetterEntryStateSerializer extends EntryStateSerializer<DeadLetterEntry> {

    public DeadLetterEntryStateSerializer() {
        super("dead-letter sink state", 1);
    }

    @Override
    protected void write(DeadLetterEntry entry, DataOutputStream out) throws IOException {
        writeString(out, entry.entryId);
        writeString(out, entry.body);
        writeString(out, entry.partitionKey);
        writeStrings(out, entry.attributes);
    }

    @Override
    protected DeadLetterEntry read(DataInputStream in) throws IOException {
        DeadLetterEntry entry = new DeadLetterEntry();
        entry.entryId = readString(in);
        entry.body = readString(in);
        entry.partitionKey = readString(in);
        entry.attributes = readStrings(in);
        return entry;
    }
}
