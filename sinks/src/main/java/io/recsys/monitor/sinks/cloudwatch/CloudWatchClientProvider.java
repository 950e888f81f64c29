package io.recsys.monitor.sinks.cloudwatch;

import io.recsys.monitor.sinks.aws.AwsConnection;
import java.io.Serializable;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * Makes the CloudWatch client of one sink writer. The sink travels to the task managers without a
 * client (clients are not serializable and own threads); each writer calls {@link #create()} once
 * and closes the client with itself. Tests hand in a provider pointing at an emulator or a faulty
 * proxy.
 */
@FunctionalInterface
public interface CloudWatchClientProvider extends Serializable {

    /** A new client; the caller closes it. */
    CloudWatchAsyncClient create();

    /**
     * Clients built from {@code connection}: region, endpoint override and credentials, no SDK
     * retries (the sink retries), and an event loop owned by the client.
     */
    static CloudWatchClientProvider of(AwsConnection connection) {
        return new FromConnection(connection);
    }

    /** A named class rather than a lambda, so that its serialized form is stable. */
    final class FromConnection implements CloudWatchClientProvider {
        private static final long serialVersionUID = 1L;
        private final AwsConnection connection;

        FromConnection(AwsConnection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
        }

        @Override
        public CloudWatchAsyncClient create() {
            return connection.cloudWatch();
        }

        @Override
        public String toString() {
            return "CloudWatchClientProvider{" + connection + "}";
        }
    }
}
