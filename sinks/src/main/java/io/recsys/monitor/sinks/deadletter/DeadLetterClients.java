package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.sinks.aws.AwsConnection;
import java.io.Serializable;
import java.util.Objects;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Makes the SQS or Kinesis client of one dead-letter writer, on the task manager. A provider rather
 * than a client because SDK clients are not serializable, and so that a test can hand in a client
 * that points at a local emulator or fails on purpose. Only the client of the sink's destination is
 * ever asked for.
 */
public interface DeadLetterClients extends Serializable {

    /** A new SQS client, owned and closed by the caller. */
    SqsAsyncClient sqs();

    /** A new Kinesis client, owned and closed by the caller. */
    KinesisAsyncClient kinesis();

    /** Clients built from {@code connection} (region, endpoint, credentials). */
    static DeadLetterClients from(AwsConnection connection) {
        Objects.requireNonNull(connection, "connection");
        return new DeadLetterClients() {
            private static final long serialVersionUID = 1L;

            @Override
            public SqsAsyncClient sqs() {
                return connection.sqs();
            }

            @Override
            public KinesisAsyncClient kinesis() {
                return connection.kinesis();
            }
        };
    }
}
