package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.sinks.aws.EntryStateSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The alerts buffered in an {@link SnsAlertSink} writer, in checkpoints: alerts accepted before a
 * failure are still published after it. Version 1: topic, entry id, subject, message, attributes,
 * group id, deduplication id.
 */
public final class AlertMessageStateSerializer extends EntryStateSerializer<AlertMessage> {

    public AlertMessageStateSerializer() {
        super("SNS sink state", 1);
    }

    @Override
    protected void write(AlertMessage message, DataOutputStream out) throws IOException {
        writeString(out, message.topicArn);
        writeString(out, message.batchEntryId);
        writeString(out, message.subject);
        writeString(out, message.message);
        writeStrings(out, message.messageAttributes);
        writeString(out, message.messageGroupId);
        writeString(out, message.messageDeduplicationId);
    }

    @Override
    protected AlertMessage read(DataInputStream in) throws IOException {
        AlertMessage message = new AlertMessage();
        message.topicArn = readString(in);
        message.batchEntryId = readString(in);
        message.subject = readString(in);
        message.message = readString(in);
        message.messageAttributes = readStrings(in);
        message.messageGroupId = readString(in);
        message.messageDeduplicationId = readString(in);
        return message;
    }
}
