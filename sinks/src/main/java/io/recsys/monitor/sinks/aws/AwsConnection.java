package io.recsys.monitor.sinks.aws;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.io.Serializable;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * How to reach AWS: region, an optional endpoint override (a local emulator) and which credentials
 * to use. Serializable so that it travels with a sink to the task managers, where the clients are
 * built; it never holds a secret (emulator keys are fixed dummies).
 */
public final class AwsConnection implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Credentials a local emulator accepts; never valid against AWS. */
    public static final String EMULATOR_KEY = "testing";

    private final String region;
    private final String endpoint;
    private final boolean emulatorCredentials;

    public AwsConnection(String region, String endpoint, boolean emulatorCredentials) {
        this.region = Objects.requireNonNull(region);
        this.endpoint = Objects.requireNonNull(endpoint);
        this.emulatorCredentials = emulatorCredentials;
    }

    public static AwsConnection fromConfig(MonitorConfig config) {
        return new AwsConnection(
                config.get(Settings.AWS_REGION),
                config.get(Settings.AWS_ENDPOINT),
                "emulator".equals(config.get(Settings.AWS_CREDENTIALS)));
    }

    /** A connection to a local emulator at {@code endpoint}. */
    public static AwsConnection emulator(String region, URI endpoint) {
        return new AwsConnection(region, endpoint.toString(), true);
    }

    public String region() {
        return region;
    }

    public String endpoint() {
        return endpoint;
    }

    public boolean usesEmulatorCredentials() {
        return emulatorCredentials;
    }

    /**
     * A new provider for each client: the SDK's shared default chain ({@code create()}) breaks for
     * every client once one of them closes it.
     */
    public AwsCredentialsProvider credentialsProvider() {
        return emulatorCredentials
                ? StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EMULATOR_KEY, EMULATOR_KEY))
                : DefaultCredentialsProvider.builder().build();
    }

    /** A CloudWatch client; the caller closes it. */
    public CloudWatchAsyncClient cloudWatch() {
        return configure(CloudWatchAsyncClient.builder()).httpClient(httpClient()).build();
    }

    /** An SNS client; the caller closes it. */
    public SnsAsyncClient sns() {
        return configure(SnsAsyncClient.builder()).httpClient(httpClient()).build();
    }

    /** An SQS client; the caller closes it. */
    public SqsAsyncClient sqs() {
        return configure(SqsAsyncClient.builder()).httpClient(httpClient()).build();
    }

    /** A Kinesis client; the caller closes it. */
    public KinesisAsyncClient kinesis() {
        if (emulatorCredentials) {
            // Local emulators speak Kinesis's JSON protocol only, not the SDK's default CBOR; the
            // SDK reads this switch when it builds the client. Real AWS keeps CBOR.
            System.setProperty("aws.cborEnabled", "false");
        }
        return configure(KinesisAsyncClient.builder()).httpClient(httpClient()).build();
    }

    /** Points {@code builder}, of any client, at this connection: credentials, region, endpoint. */
    public <B extends AwsClientBuilder<B, ?>> B applyTo(B builder) {
        builder.credentialsProvider(credentialsProvider());
        if (!region.isEmpty()) {
            builder.region(Region.of(region));
        }
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        // The async sinks retry whole requests and entries themselves, with their own backoff.
        return applyTo(builder)
                .overrideConfiguration(
                        ClientOverrideConfiguration.builder()
                                .retryStrategy(b -> b.maxAttempts(1))
                                .build());
    }

    /**
     * Each client owns its event loop. The SDK's JVM-wide shared event loop keeps the context class
     * loader of the task that first started it; once Flink closes that class loader (a job or an
     * attempt ended), the SDK cannot load its XML parser on those threads and reports every error
     * without a code, so throttling could no longer be told from a bad request.
     */
    private static SdkAsyncHttpClient httpClient() {
        return NettyNioAsyncHttpClient.builder()
                .maxConcurrency(50)
                .eventLoopGroupBuilder(SdkEventLoopGroup.builder())
                .build();
    }

    @Override
    public String toString() {
        return "AwsConnection{region="
                + (region.isEmpty() ? "(default chain)" : region)
                + ", endpoint="
                + (endpoint.isEmpty() ? "(AWS)" : endpoint)
                + ", credentials="
                + (emulatorCredentials ? "emulator" : "default chain")
                + "}";
    }
}
