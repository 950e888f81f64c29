package io.recsys.monitor.sinks.sns;

import static io.recsys.monitor.sinks.aws.EntryStateFields.readString;
import static io.recsys.monitor.sinks.aws.EntryStateFields.readStrings;
import static io.recsys.monitor.sinks.aws.EntryStateFields.writeString;
import static io.recsys.monitor.sinks.aws.EntryStateFields.writeStrings;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Writes the alerts buffered in an {@link SnsAlertSink} writer into checkpoints and reads them back
 * on restore, so that alerts accepted before a failure are still published after it. Version
 * {@value #VERSION}: topic, entry id, subject, message, attributes, group id, deduplication id (see
 * {@link io.recsys.monitor.sinks.aws.EntryStateFields}); a change needs a new version and a reader
 * of the old one.
 */
public final class AlertMessageStateSerializer
        extends AsyncSinkWriterStateSerializer<AlertMessage> {

    static final int VERSION = 1;

    private static final String STATE = "SNS sink state";

    @Override
    protected void serializeRequestToStream(AlertMessage message, DataOutputStream out)
            throws IOException {
        writeString(out, message.topicArn);
        writeString(out, message.batchEntryId);
        writeString(out, message.subject);
        writeString(out, message.message);
        writeStrings(out, message.messageAttributes);
        writeString(out, message.messageGroupId);
        writeString(out, message.messageDeduplicationId);
    }

    @Override
    protected AlertMessage deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        AlertMessage message = new AlertMessage();
        message.topicArn = readString(in, STATE);
        message.batchEntryId = readString(in, STATE);
        message.subject = readString(in, STATE);
        message.message = readString(in, STATE);
        message.messageAttributes = readStrings(in, STATE);
        message.messageGroupId = readString(in, STATE);
        message.messageDeduplicationId = readString(in, STATE);
        return message;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }
}
