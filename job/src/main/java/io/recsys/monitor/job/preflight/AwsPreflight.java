package io.recsys.monitor.job.preflight;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Setting;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.cli.UserError;
import io.recsys.monitor.sinks.aws.AwsConnection;
import io.recsys.monitor.sinks.aws.AwsFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Checks, before the job starts, that every AWS resource the configuration names exists and may be
 * used: the Kinesis input streams ({@code DescribeStreamSummary}) and, with {@code sinks.type=aws},
 * the SNS topics ({@code GetTopicAttributes}). A job started without them would fail on its first
 * call and restart again and again; this ends the run within seconds with a {@link UserError} that
 * names the resource, the key that names it and, for access denied, the IAM action to grant.
 *
 * <p>Throttling and network errors are retried a few times with a short backoff (a few seconds in
 * all); an endpoint that still does not answer ends the run too. Throttling that outlasts the
 * retries does not: the resource answered, and the job's own clients retry throttling.
 */
public final class AwsPreflight {
    private static final Logger LOG = LoggerFactory.getLogger(AwsPreflight.class);

    /** Tries of one call, and the waits between them. */
    static final int ATTEMPTS = 3;

    static final Duration FIRST_BACKOFF = Duration.ofMillis(300);

    /** Bounds of one call: an endpoint that does not answer costs at most this per try. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    /** The read-only call that proves a resource of one kind exists and may be used. */
    @FunctionalInterface
    public interface ResourceProbe {
        void probe(AwsResource resource) throws Exception;
    }

    /** Waits between tries; tests replace it so that they do not wait. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Map<AwsResource.Kind, ResourceProbe> probes;
    private final String where;
    private final Sleeper sleeper;

    AwsPreflight(Map<AwsResource.Kind, ResourceProbe> probes, String where, Sleeper sleeper) {
        this.probes = probes;
        this.where = where;
        this.sleeper = sleeper;
    }

    /**
     * Checks the resources {@code config} names, if any; returns when all of them answered, throws
     * {@link UserError} otherwise.
     */
    public static void check(MonitorConfig config) {
        List<AwsResource> resources = resources(config);
        if (resources.isEmpty()) {
            return;
        }
        AwsConnection connection = AwsConnection.fromConfig(config);
        if (config.get(Settings.KINESIS_EMULATOR)) {
            // Emulators do not speak the CBOR encoding the SDK uses for Kinesis by default (read
            // when the client is built; the generate command sets it the same way).
            System.setProperty("aws.cborEnabled", "false");
        }
        long started = System.nanoTime();
        try (KinesisClient kinesis = configure(KinesisClient.builder(), connection).build();
                SnsClient sns = configure(SnsClient.builder(), connection).build()) {
            Map<AwsResource.Kind, ResourceProbe> probes = new EnumMap<>(AwsResource.Kind.class);
            probes.put(
                    AwsResource.Kind.KINESIS_STREAM,
                    r -> kinesis.describeStreamSummary(b -> b.streamName(r.name())));
            probes.put(
                    AwsResource.Kind.SNS_TOPIC,
                    r -> sns.getTopicAttributes(b -> b.topicArn(r.name())));
            new AwsPreflight(probes, where(connection), d -> Thread.sleep(d.toMillis()))
                    .check(resources);
        } catch (RuntimeException e) {
            if (e instanceof UserError) {
                throw e;
            }
            // Building a client fails without a region, for example: no retry helps.
            throw new UserError(
                    "Cannot check the AWS resources of the configuration in "
                            + where(connection)
                            + " ("
                            + PreflightFailure.describe(e)
                            + "). Check aws.region, aws.endpoint and aws.credentials.",
                    e);
        }
        LOG.info(
                "event=aws_preflight_passed resources={} millis={}",
                resources.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The resources a run with {@code config} needs, in the order they are checked: the input
     * streams, then the alert topics. The dead-letter destination goes here too once it exists.
     */
    public static List<AwsResource> resources(MonitorConfig config) {
        List<AwsResource> resources = new ArrayList<>();
        if ("kinesis".equals(config.get(Settings.SOURCE_TYPE))) {
            String predictions = config.get(Settings.KINESIS_STREAM).trim();
            add(resources, AwsResource.Kind.KINESIS_STREAM, predictions, Settings.KINESIS_STREAM);
            String feedback = config.get(Settings.KINESIS_FEEDBACK_STREAM).trim();
            if (!feedback.equals(predictions)) {
                add(
                        resources,
                        AwsResource.Kind.KINESIS_STREAM,
                        feedback,
                        Settings.KINESIS_FEEDBACK_STREAM);
            }
        }
        if ("aws".equals(config.get(Settings.SINKS_TYPE))) {
            List<String> seen = new ArrayList<>();
            for (Setting<String> key :
                    List.of(
                            Settings.SNS_CRITICAL_TOPIC_ARN,
                            Settings.SNS_WARNING_TOPIC_ARN,
                            Settings.SNS_ML_TOPIC_ARN)) {
                String arn = config.get(key).trim();
                // Topics shared by several routes are checked once.
                if (!seen.contains(arn)) {
                    seen.add(arn);
                    add(resources, AwsResource.Kind.SNS_TOPIC, arn, key);
                }
            }
        }
        return resources;
    }

    private static void add(
            List<AwsResource> resources, AwsResource.Kind kind, String name, Setting<String> key) {
        // An empty name is the configuration's to report (the source and sinks validate it).
        if (!name.isEmpty()) {
            resources.add(new AwsResource(kind, name, key.key()));
        }
    }

    /** Checks each resource in turn and throws {@link UserError} for the first that fails. */
    void check(List<AwsResource> resources) {
        for (AwsResource resource : resources) {
            checkOne(resource);
        }
    }

    private void checkOne(AwsResource resource) {
        ResourceProbe probe = probes.get(resource.kind());
        if (probe == null) {
            throw new IllegalStateException("no pre-flight probe for " + resource.kind());
        }
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                probe.probe(resource);
                return;
            } catch (Exception e) {
                PreflightFailure.Kind kind = PreflightFailure.classify(e);
                if (!PreflightFailure.isTransient(kind)) {
                    throw new UserError(PreflightFailure.message(resource, e, where), e);
                }
                if (attempt >= ATTEMPTS) {
                    if (kind == PreflightFailure.Kind.THROTTLED) {
                        LOG.warn(
                                "event=aws_preflight_throttled resource=\"{}\" attempts={}",
                                resource.describe(),
                                attempt);
                        return;
                    }
                    throw new UserError(PreflightFailure.message(resource, e, where), e);
                }
                LOG.info(
                        "event=aws_preflight_retry resource=\"{}\" attempt={} kind={} error=\"{}\"",
                        resource.describe(),
                        attempt,
                        kind,
                        PreflightFailure.describe(AwsFailure.unwrap(e)));
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UserError("Interrupted while checking " + resource.describe(), e);
                }
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private static String where(AwsConnection connection) {
        String region = connection.region().isEmpty() ? "the default region" : connection.region();
        return connection.endpoint().isEmpty()
                ? "region " + region
                : "region " + region + " at " + connection.endpoint();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, AwsConnection connection) {
        builder.httpClientBuilder(
                UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(CALL_TIMEOUT));
        connection.applyTo(builder);
        // The check retries itself, with a bound in time; the SDK's own retries would add theirs.
        builder.overrideConfiguration(
                ClientOverrideConfiguration.builder()
                        .retryStrategy(b -> b.maxAttempts(1))
                        .apiCallAttemptTimeout(CALL_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .build());
        return builder;
    }
}
