package io.recsys.monitor.sinks.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.aws.AwsConnection;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The sink in a (mini) cluster against the moto emulator: every point arrives once with the
 * dimensions the policy allows, throttling and outages (from a fault proxy) are retried without
 * duplicates, access errors fail the job with what to check, and refused datums are isolated and
 * dead-lettered.
 */
class CloudWatchMetricsSinkITCase {

    /** Keeps the writers' counters after their jobs end. */
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final List<String> METRICS = List.of("CTR", "LatencyP99", "Impressions");
    private static final List<String> UNITS = List.of("Percent", "Milliseconds", "Count");
    private static final List<String> MODELS = List.of("v1", "v2", "v3");
    private static final List<String> SEGMENTS = List.of("new", "returning");

    /** Dead letters of the sinks under test; the mini cluster runs in this JVM. */
    private static final ConcurrentLinkedQueue<DeadLetter> DEAD_LETTERS =
            new ConcurrentLinkedQueue<>();

    private static MotoServer moto;
    private static CloudWatchClient cloudWatch;

    /**
     * Namespaces of this test alone: a failed job's last requests may still land after the next
     * test has reset the emulator.
     */
    private final int run = RUNS.incrementAndGet();

    private final String nsA = "RecSys/IT-A" + run;
    private final String nsB = "RecSys/IT-B" + run;

    /** Recent (CloudWatch refuses datums older than two weeks), on a whole minute. */
    private final long now = System.currentTimeMillis() / 60_000 * 60_000;

    @BeforeAll
    static void startEmulator() {
        moto = MotoServer.shared();
        cloudWatch =
                CloudWatchClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                        .build();
    }

    @AfterAll
    static void closeClient() {
        cloudWatch.close();
    }

    @BeforeEach
    void reset() {
        moto.reset();
        DEAD_LETTERS.clear();
    }

    @Test
    void writesEveryPointOnceWithTheAllowedDimensions() throws Exception {
        List<MetricPoint> points = points(2500);

        JobID job = run(points, builder(moto.endpoint()).setDimensionPolicy(policy(2)));

        Map<Series, double[]> expected = expected(points, 2);
        long folded =
                expected.entrySet().stream()
                        .filter(e -> e.getKey().dimensions.get("ModelVersion").equals("other"))
                        .mapToLong(e -> (long) e.getValue()[0])
                        .sum();
        assertThat(counter(job, "cloudwatchDatumsSent")).isEqualTo(2500);
        assertThat(counter(job, "cloudwatchDimensionValuesFolded")).isEqualTo(folded).isPositive();
        assertThat(counter(job, "cloudwatchRequestsFailed")).isZero();
        assertThat(counter(job, "cloudwatchDatumsRejected")).isZero();
        assertThat(expected.keySet().stream().map(s -> s.dimensions.get("ModelVersion")))
                .as("v3 came third and is folded")
                .contains("other")
                .doesNotContain("v3");
        assertThat(listedSeries(nsA)).isEqualTo(seriesOf(expected, nsA));
        assertThat(listedSeries(nsB)).isEqualTo(seriesOf(expected, nsB));
        assertStored(expected, 2500);
        assertThat(DEAD_LETTERS).isEmpty();
    }

    @Test
    void retriesThrottlingAndOutagesUntilEveryPointArrivesOnce() throws Exception {
        List<MetricPoint> points = points(600);
        try (CloudWatchFaultProxy proxy =
                CloudWatchFaultProxy.start(
                        moto.endpoint(),
                        (n, body) -> {
                            if (n % 3 == 0) {
                                return Optional.of(
                                        new CloudWatchFaultProxy.Fault(
                                                400, "Throttling", "Rate exceeded"));
                            }
                            if (n % 5 == 0) {
                                return Optional.of(
                                        new CloudWatchFaultProxy.Fault(
                                                503, "ServiceUnavailable", "Try again"));
                            }
                            return Optional.empty();
                        })) {

            JobID job =
                    run(
                            points,
                            builder(proxy.endpoint())
                                    .setDimensionPolicy(policy(10))
                                    .setMaxBatchSize(40));

            assertThat(proxy.faultsInjected()).isGreaterThanOrEqualTo(10);
            assertThat(counter(job, "cloudwatchRequestsFailed")).isEqualTo(proxy.faultsInjected());
            assertThat(counter(job, "cloudwatchDatumsSent")).isEqualTo(600);
            assertThat(proxy.putMetricDataRequests()).isGreaterThan(proxy.faultsInjected());
        }
        assertStored(expected(points, 10), 600);
        assertThat(DEAD_LETTERS).isEmpty();
    }

    @Test
    void theProxysErrorsReadAsCloudWatchsOwn() throws Exception {
        try (CloudWatchFaultProxy proxy =
                        CloudWatchFaultProxy.start(
                                moto.endpoint(),
                                (n, body) ->
                                        Optional.of(
                                                n == 1
                                                        ? new CloudWatchFaultProxy.Fault(
                                                                400, "Throttling", "Rate exceeded")
                                                        : new CloudWatchFaultProxy.Fault(
                                                                403, "AccessDenied", "no")));
                CloudWatchAsyncClient client =
                        CloudWatchClientProvider.of(
                                        AwsConnection.emulator(MotoServer.REGION, proxy.endpoint()))
                                .create()) {
            Throwable throttled = putOne(client);
            assertThat(throttled).isInstanceOf(AwsServiceException.class);
            assertThat(((AwsServiceException) throttled).isThrottlingException()).isTrue();
            assertThat(CloudWatchErrorClassifier.isTransient(throttled)).isTrue();
            assertThat(CloudWatchErrorClassifier.isAccessError(putOne(client))).isTrue();
        }
    }

    @Test
    void failsTheJobWithWhatToCheckWhenAccessIsDenied() throws Exception {
        try (CloudWatchFaultProxy proxy =
                CloudWatchFaultProxy.start(
                        moto.endpoint(),
                        (n, body) ->
                                Optional.of(
                                        new CloudWatchFaultProxy.Fault(
                                                403,
                                                "AccessDenied",
                                                "User: arn:aws:sts::123456789012:assumed-role/x is"
                                                        + " not authorized to perform:"
                                                        + " cloudwatch:PutMetricData")))) {

            assertThatThrownBy(() -> run(points(10), builder(proxy.endpoint())))
                    .satisfies(
                            e -> {
                                Optional<CloudWatchSinkException> cause =
                                        ExceptionUtils.findThrowable(
                                                e, CloudWatchSinkException.class);
                                assertThat(cause).isPresent();
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                        e, UnrecoverableFailure.class))
                                        .as("ends the job without a restart")
                                        .isPresent();
                                assertThat(cause.get().getMessage())
                                        .contains("namespace 'RecSys/IT-")
                                        .contains("AccessDenied")
                                        .contains("Check the IAM policy")
                                        .contains("cloudwatch:PutMetricData");
                            });
        }
    }

    @Test
    void isolatesAndDeadLettersTheDatumsCloudWatchRefuses() throws Exception {
        List<MetricPoint> points = points(300);
        List<MetricPoint> sent = new ArrayList<>(points);
        MetricPoint poison = point(nsA, "Poison", "v1", "new", 1.0, now);
        MetricPoint nan = point(nsB, "CTR", "v1", "new", Double.NaN, now);
        MetricPoint old = point(nsB, "CTR", "v1", "new", 1.0, now - 15L * 24 * 3600 * 1000);
        sent.add(120, poison);
        sent.add(7, nan);
        sent.add(250, old);
        try (CloudWatchFaultProxy proxy =
                CloudWatchFaultProxy.start(
                        moto.endpoint(),
                        (n, body) ->
                                body.contains("MetricName=Poison")
                                        ? Optional.of(
                                                new CloudWatchFaultProxy.Fault(
                                                        400,
                                                        "InvalidParameterValue",
                                                        "The value Poison is not allowed."))
                                        : Optional.empty())) {

            JobID job =
                    run(
                            sent,
                            builder(proxy.endpoint())
                                    .setDimensionPolicy(policy(10))
                                    .setInvalidDataPolicy(InvalidDataPolicy.DROP)
                                    // A lambda, not DEAD_LETTERS::add: that would serialize a copy
                                    // of the queue.
                                    .setDeadLetters(d -> DEAD_LETTERS.add(d)));

            assertThat(proxy.faultsInjected())
                    .as("one failed request per halving round, about log2(batch)")
                    .isBetween(1, 12);
            assertThat(counter(job, "cloudwatchRequestsFailed")).isEqualTo(proxy.faultsInjected());
            assertThat(counter(job, "cloudwatchDatumsRejected")).isEqualTo(3);
            assertThat(counter(job, "cloudwatchDatumsSent")).isEqualTo(300);
        }
        assertStored(expected(points, 10), 300);
        assertThat(DEAD_LETTERS)
                .extracting(d -> d.category)
                .containsOnly(DeadLetter.Reason.REJECTED_BY_SINK.category());
        assertThat(DEAD_LETTERS)
                .extracting(d -> d.reason)
                .containsExactlyInAnyOrder(
                        "CloudWatch refused it: InvalidParameterValue: The value Poison is not"
                                + " allowed.",
                        "not sent, CloudWatch would refuse it: value NaN is not a finite number",
                        "not sent, CloudWatch would refuse it: timestamp "
                                + Instant.ofEpochMilli(old.timestamp)
                                + " is more than two weeks in the past");
        assertThat(DEAD_LETTERS)
                .extracting(d -> d.raw)
                .anySatisfy(raw -> assertThat(raw).startsWith(nsA + " Poison{"));
    }

    @Test
    void failsTheJobOnInvalidDataWhenConfiguredTo() {
        List<MetricPoint> points = points(5);
        points.add(point(nsA, "CTR", "v1", "new", Double.POSITIVE_INFINITY, now));

        assertThatThrownBy(
                        () ->
                                run(
                                        points,
                                        builder(moto.endpoint())
                                                .setInvalidDataPolicy(InvalidDataPolicy.FAIL)))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                                e, CloudWatchSinkException.class)
                                                        .map(Throwable::getMessage))
                                        .hasValueSatisfying(
                                                m ->
                                                        assertThat(m)
                                                                .contains("namespace '" + nsA + "'")
                                                                .contains("Infinity")
                                                                .contains(
                                                                        "cloudwatch.invalid-data=fail")));
    }

    // --- the job ---

    private static JobID run(List<MetricPoint> points, CloudWatchMetricsSinkBuilder sink)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // One writer, so that "first come, first kept" of the dimension cap is the input order.
        env.setParallelism(1);
        env.fromData(MetricPoint.class, points.toArray(new MetricPoint[0]))
                .sinkTo(sink.build())
                .name("cloudwatch-metrics");
        return env.execute("cloudwatch-metrics-sink").getJobID();
    }

    /** A writer counter of the job, summed over its subtasks. */
    private static long counter(JobID job, String name) {
        return REPORTER.findMetrics(job, ".*\\." + name).values().stream()
                .mapToLong(m -> ((Counter) m).getCount())
                .sum();
    }

    private CloudWatchMetricsSinkBuilder builder(URI endpoint) {
        return CloudWatchMetricsSink.builder()
                .setClientProvider(
                        CloudWatchClientProvider.of(
                                AwsConnection.emulator(MotoServer.REGION, endpoint)))
                .setDefaultNamespace(nsA)
                .setMaxTimeInBufferMS(200);
    }

    private static DimensionPolicy policy(int maxValues) {
        return DimensionPolicy.allow(List.of("ModelVersion", "UserSegment"), maxValues);
    }

    /**
     * {@code n} points over two namespaces, three metrics, three model versions (v3 first seen
     * after v1 and v2 for every metric) and two segments, with dimensions the policy must remove,
     * spread over the last hour.
     */
    private List<MetricPoint> points(int n) {
        List<MetricPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MetricPoint p =
                    point(
                            i % 2 == 0 ? nsA : nsB,
                            METRICS.get((i / 2) % 3),
                            MODELS.get((i / 6) % 3),
                            SEGMENTS.get((i / 18) % 2),
                            i * 0.5,
                            now - (i % 60) * 60_000L);
            p.dimensions.put("RequestId", "r-" + i);
            p.dimensions.put("user_id", "u-" + i);
            points.add(p);
        }
        return points;
    }

    private MetricPoint point(
            String ns, String metric, String model, String segment, double value, long end) {
        Map<String, String> dims = new HashMap<>();
        dims.put("ModelVersion", model);
        dims.put("UserSegment", segment);
        int unit = Math.max(0, METRICS.indexOf(metric));
        return new MetricPoint(ns, metric, dims, value, UNITS.get(unit), end - 60_000L, end);
    }

    // --- what CloudWatch should hold, computed apart from the sink ---

    /** Sample count and sum per series, folding model versions beyond the first {@code cap}. */
    private static Map<Series, double[]> expected(List<MetricPoint> points, int cap) {
        Map<String, Set<String>> seen = new HashMap<>();
        Map<Series, double[]> expected = new LinkedHashMap<>();
        for (MetricPoint p : points) {
            TreeMap<String, String> dims = new TreeMap<>();
            for (String name : List.of("ModelVersion", "UserSegment")) {
                Set<String> values =
                        seen.computeIfAbsent(
                                p.namespace + "/" + p.metric + "/" + name, k -> new HashSet<>());
                String value = p.dimensions.get(name);
                if (!values.contains(value) && values.size() >= cap) {
                    value = "other";
                } else {
                    values.add(value);
                }
                dims.put(name, value);
            }
            double[] countAndSum =
                    expected.computeIfAbsent(
                            new Series(p.namespace, p.metric, dims), k -> new double[2]);
            countAndSum[0]++;
            countAndSum[1] += p.value;
        }
        return expected;
    }

    private static Set<Series> seriesOf(Map<Series, double[]> expected, String namespace) {
        return expected.keySet().stream()
                .filter(s -> s.namespace.equals(namespace))
                .collect(Collectors.toSet());
    }

    // --- what CloudWatch holds ---

    private static Set<Series> listedSeries(String namespace) {
        Set<Series> listed = new HashSet<>();
        String token = null;
        do {
            String next = token;
            ListMetricsResponse page =
                    cloudWatch.listMetrics(b -> b.namespace(namespace).nextToken(next));
            for (Metric m : page.metrics()) {
                TreeMap<String, String> dims = new TreeMap<>();
                for (Dimension d : m.dimensions()) {
                    dims.put(d.name(), d.value());
                }
                listed.add(new Series(m.namespace(), m.metricName(), dims));
            }
            token = page.nextToken();
        } while (token != null);
        return listed;
    }

    private void assertStored(Map<Series, double[]> expected, int total) {
        Map<String, Double> expectedCounts = new TreeMap<>();
        Map<String, Double> storedCounts = new TreeMap<>();
        Map<String, Double> expectedSums = new TreeMap<>();
        Map<String, Double> storedSums = new TreeMap<>();
        double count = 0;
        for (Map.Entry<Series, double[]> e : expected.entrySet()) {
            Series s = e.getKey();
            List<Dimension> dimensions = new ArrayList<>();
            s.dimensions.forEach(
                    (name, value) ->
                            dimensions.add(Dimension.builder().name(name).value(value).build()));
            List<Datapoint> datapoints =
                    cloudWatch
                            .getMetricStatistics(
                                    b ->
                                            b.namespace(s.namespace)
                                                    .metricName(s.metric)
                                                    .dimensions(dimensions)
                                                    .startTime(
                                                            Instant.ofEpochMilli(now - 7_200_000L))
                                                    .endTime(Instant.ofEpochMilli(now + 3_600_000L))
                                                    .period(3 * 3600)
                                                    .statistics(
                                                            Statistic.SAMPLE_COUNT, Statistic.SUM))
                            .datapoints();
            double samples = datapoints.stream().mapToDouble(Datapoint::sampleCount).sum();
            double sum = datapoints.stream().mapToDouble(Datapoint::sum).sum();
            expectedCounts.put(s.toString(), e.getValue()[0]);
            storedCounts.put(s.toString(), samples);
            expectedSums.put(s.toString(), e.getValue()[1]);
            storedSums.put(s.toString(), sum);
            count += samples;
        }
        assertThat(storedCounts).as("datums per series").isEqualTo(expectedCounts);
        // Values are multiples of 0.5, so the sums are exact in binary floating point.
        assertThat(storedSums).as("sum per series").isEqualTo(expectedSums);
        assertThat(count).as("every point exactly once").isEqualTo(total);
    }

    private Throwable putOne(CloudWatchAsyncClient client) {
        try {
            client.putMetricData(
                            b ->
                                    b.namespace(nsA)
                                            .metricData(
                                                    new MetricDatumEntry(
                                                                    nsA, "CTR", Map.of(), 1.0,
                                                                    "Percent", now, 60)
                                                            .toDatum()))
                    .join();
            throw new AssertionError("the proxy should have answered with an error");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** A metric as CloudWatch identifies it: namespace, name and dimensions. */
    private static final class Series {
        final String namespace;
        final String metric;
        final TreeMap<String, String> dimensions;

        Series(String namespace, String metric, TreeMap<String, String> dimensions) {
            this.namespace = namespace;
            this.metric = metric;
            this.dimensions = dimensions;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Series)) {
                return false;
            }
            Series that = (Series) o;
            return namespace.equals(that.namespace)
                    && metric.equals(that.metric)
                    && dimensions.equals(that.dimensions);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(namespace, metric, dimensions);
        }

        @Override
        public String toString() {
            return namespace + " " + metric + dimensions;
        }
    }
}
