package io.recsys.monitor.sinks.sns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Writes the alerts buffered in an {@link SnsAlertSink} writer into checkpoints and reads them back
 * on restore, so that alerts accepted before a failure are still published after it.
 *
 * <p>Strings are written as a length and UTF-8 bytes, not with {@code writeUTF}, whose 64 KiB limit
 * is below SNS's 256 KiB message size. The format is version {@value #VERSION} of {@link
 * #getVersion()}; a change to it needs a new version and a reader of the old one.
 */
public final class AlertMessageStateSerializer
        extends AsyncSinkWriterStateSerializer<AlertMessage> {

    static final int VERSION = 1;

    // A length that marks a null string, so that null and "" survive a round trip.
    private static final int NULL = -1;

    @Override
    protected void serializeRequestToStream(AlertMessage message, DataOutputStream out)
            throws IOException {
        writeString(out, message.topicArn);
        writeString(out, message.batchEntryId);
        writeString(out, message.subject);
        writeString(out, message.message);
        Map<String, String> attributes = message.messageAttributes;
        if (attributes == null) {
            out.writeInt(NULL);
        } else {
            out.writeInt(attributes.size());
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                writeString(out, a.getKey());
                writeString(out, a.getValue());
            }
        }
        writeString(out, message.messageGroupId);
        writeString(out, message.messageDeduplicationId);
    }

    @Override
    protected AlertMessage deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        AlertMessage message = new AlertMessage();
        message.topicArn = readString(in);
        message.batchEntryId = readString(in);
        message.subject = readString(in);
        message.message = readString(in);
        int attributes = in.readInt();
        if (attributes == NULL) {
            message.messageAttributes = null;
        } else {
            TreeMap<String, String> map = new TreeMap<>();
            for (int i = 0; i < attributes; i++) {
                map.put(readString(in), readString(in));
            }
            message.messageAttributes = map;
        }
        message.messageGroupId = readString(in);
        message.messageDeduplicationId = readString(in);
        return message;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(NULL);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == NULL) {
            return null;
        }
        if (length < 0) {
            throw new IOException("Corrupt SNS sink state: string of length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
