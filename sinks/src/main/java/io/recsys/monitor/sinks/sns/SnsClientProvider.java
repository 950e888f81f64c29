package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.sinks.aws.AwsConnection;
import java.io.Serializable;
import java.util.Objects;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * Makes the SNS client of one sink writer, on the task manager. A provider rather than a client
 * because SDK clients are not serializable, and so that a test can hand in a client that points at
 * a local emulator or fails on purpose.
 */
@FunctionalInterface
public interface SnsClientProvider extends Serializable {

    /** A new client, owned and closed by the caller. */
    SnsAsyncClient create();

    /** Clients built from {@code connection} (region, endpoint, credentials). */
    static SnsClientProvider from(AwsConnection connection) {
        Objects.requireNonNull(connection, "connection");
        return connection::sns;
    }
}
