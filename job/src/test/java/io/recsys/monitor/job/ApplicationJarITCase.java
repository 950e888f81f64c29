package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The application jar for Managed Service for Apache Flink: our code and connectors, with the main
 * class in its manifest, and neither the Flink runtime nor a logging backend inside (the service
 * provides both; a second copy breaks class loading or logging). It stays lean (no Kinesis Producer
 * Library, whose native binaries were most of its size), carries one license and the merged notices
 * of what it bundles, and starts on a Flink 1.20 runtime's classpath with nothing of ours beside
 * it: a replay of a file runs to its end, and the Kinesis source reads from an emulator.
 */
class ApplicationJarITCase {

    /**
     * The ceiling on the jar's size: about a tenth above what the filters leave (the classes the
     * job's classes can link to, among them two AWS SDK v2 cores, the sinks' Netty and the
     * connector's relocated SDK v1), so that a version bump passes and a newly bundled library of
     * any size, the enhanced fan-out client (5.3 MB) or the KPL's binaries (36 MB) fail.
     * docs/deploy.md says what would take the jar under 20 MB.
     */
    static final long CEILING_BYTES = 36L * 1024 * 1024;

    private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration METRICS_TIMEOUT = Duration.ofMinutes(4);

    @TempDir Path dir;

    private static Path applicationJar() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir =
                Files.newDirectoryStream(Paths.get("target"), "*-application.jar")) {
            dir.forEach(jars::add);
        }
        assertThat(jars).as("application jar under job/target").hasSize(1);
        return jars.get(0).toAbsolutePath();
    }

    private static List<String> entries(JarFile jar) {
        return Collections.list(jar.entries()).stream()
                .map(JarEntry::getName)
                .collect(Collectors.toList());
    }

    private static String read(JarFile jar, String entry) throws IOException {
        JarEntry e = jar.getJarEntry(entry);
        assertThat(e).as(entry).isNotNull();
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void holdsTheJobWithoutFlinkRuntimeOrLoggingBackends() throws IOException {
        try (JarFile jar = new JarFile(applicationJar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(RecsysMonitor.class.getName());
            List<String> entries = entries(jar);
            assertThat(entries)
                    .contains(
                            "io/recsys/monitor/job/RecsysMonitor.class",
                            "io/recsys/monitor/operators/engagement/FeedbackAttribution.class",
                            "io/recsys/monitor/sinks/local/JsonLinesFileSink.class",
                            "io/recsys/monitor/config/MonitorConfig.class",
                            "org/apache/flink/connector/datagen/source/DataGeneratorSource.class",
                            "picocli/CommandLine.class");
            assertThat(entries)
                    .noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/environment/"))
                    .noneMatch(e -> e.startsWith("org/apache/flink/runtime/"))
                    .noneMatch(e -> e.startsWith("org/apache/flink/api/common/"))
                    .noneMatch(e -> e.startsWith("org/slf4j/"))
                    .noneMatch(e -> e.startsWith("org/apache/logging/log4j/"))
                    .noneMatch(e -> e.startsWith("ch/qos/logback/"))
                    .noneMatch(e -> e.startsWith("log4j2") || e.startsWith("log4j.properties"));
        }
    }

    @Test
    void staysUnderItsCeilingWithoutTheProducerLibraryOrEnhancedFanOut() throws IOException {
        Path path = applicationJar();
        assertThat(Files.size(path))
                .as("size of %s in bytes (ceiling %d)", path.getFileName(), CEILING_BYTES)
                .isLessThan(CEILING_BYTES);
        String shaded = "org/apache/flink/kinesis/shaded/com/amazonaws/services/";
        try (JarFile jar = new JarFile(path.toFile())) {
            List<String> entries = entries(jar);
            assertThat(entries)
                    .noneMatch(e -> e.startsWith("amazon-kinesis-producer-native-binaries/"))
                    .noneMatch(e -> e.startsWith(shaded + "dynamodbv2/"))
                    .noneMatch(e -> e.startsWith(shaded + "s3/"))
                    .noneMatch(e -> e.startsWith("com/google/common/"));
            // Enhanced fan-out, which the configuration refuses: the connector's SDK v2 Kinesis
            // client and the Netty under it.
            String shadedV2 = "org/apache/flink/kinesis/shaded/software/amazon/awssdk/";
            assertThat(entries)
                    .noneMatch(e -> e.startsWith(shadedV2 + "services/kinesis/"))
                    .noneMatch(e -> e.startsWith(shadedV2 + "http/nio/"))
                    .noneMatch(e -> e.startsWith("org/apache/flink/kinesis/shaded/io/netty/"));
            // What FlinkKinesisConsumer needs stays: its polling client (SDK v1), the record
            // de-aggregation (the KCL's types) and the SDK v2 parts its property check uses.
            assertThat(entries)
                    .contains(
                            "org/apache/flink/streaming/connectors/kinesis/FlinkKinesisConsumer.class",
                            shaded + "kinesis/AmazonKinesisClient.class",
                            shaded + "kinesis/clientlibrary/types/UserRecord.class",
                            shadedV2 + "regions/Region.class",
                            shadedV2 + "auth/credentials/DefaultCredentialsProvider.class");
        }
    }

    @Test
    void carriesOneLicenseAndTheMergedNoticesOfWhatItBundles() throws IOException {
        Path path = applicationJar();
        try (JarFile jar = new JarFile(path.toFile())) {
            List<String> entries = entries(jar);
            assertThat(entries)
                    .contains("META-INF/LICENSE", "META-INF/NOTICE")
                    .doesNotContain(
                            "META-INF/LICENSE.txt",
                            "META-INF/LICENSE.md",
                            "META-INF/NOTICE.txt",
                            "META-INF/NOTICE.md")
                    // A bundled part under another license keeps its own file.
                    .contains("META-INF/licenses/LICENSE.protobuf");
            assertThat(read(jar, "META-INF/LICENSE"))
                    .contains("licenses/LICENSE.protobuf")
                    .contains("Apache License")
                    .contains("Version 2.0, January 2004");
            // One notice per bundled library, not the last one the shade plugin happened to copy.
            String notice = read(jar, "META-INF/NOTICE");
            assertThat(notice.strip()).startsWith("recsys-monitor");
            assertThat(notice)
                    .contains("the recsys-monitor authors")
                    .doesNotContain("Copyright 2006-2026 The Apache Software Foundation")
                    .contains(
                            "Apache Commons Math",
                            "datasketches-java",
                            "AWS SDK for Java 2.0",
                            "Apache Flink",
                            "Jackson",
                            "Joda");

            // The licence files dropped in favour of the one above must all be that same text.
            Set<String> inJar = Set.copyOf(entries);
            for (Path library : bundledLibraries(inJar)) {
                try (JarFile bundled = new JarFile(library.toFile())) {
                    for (String name :
                            List.of(
                                    "META-INF/LICENSE",
                                    "META-INF/LICENSE.txt",
                                    "META-INF/LICENSE.md")) {
                        if (bundled.getJarEntry(name) != null) {
                            // The text itself, or (Jackson's) a statement that points to it.
                            String text = read(bundled, name);
                            assertThat(
                                            text.contains("Version 2.0, January 2004")
                                                    || text.contains(
                                                            "www.apache.org/licenses/LICENSE-2.0"))
                                    .as(library.getFileName() + "!" + name + ":\n" + text)
                                    .isTrue();
                        }
                    }
                }
            }
        }
    }

    /** The jars of the launcher's classpath with a class in the application jar. */
    private static List<Path> bundledLibraries(Set<String> inJar) throws IOException {
        String classpath =
                Files.readString(Paths.get("target/local-classpath.txt"), StandardCharsets.UTF_8)
                        .trim();
        List<Path> bundled = new ArrayList<>();
        for (String element : classpath.split(java.io.File.pathSeparator)) {
            Path library = Paths.get(element);
            try (JarFile jar = new JarFile(library.toFile())) {
                boolean inside =
                        Collections.list(jar.entries()).stream()
                                .map(JarEntry::getName)
                                .filter(e -> e.endsWith(".class") && !e.startsWith("META-INF/"))
                                .anyMatch(inJar::contains);
                if (inside) {
                    bundled.add(library);
                }
            }
        }
        assertThat(bundled).as("bundled libraries").hasSizeGreaterThan(20);
        return bundled;
    }

    @Test
    void replaysAFileToItsEndOnTheFlinkRuntimeClasspath() throws Exception {
        Path events = dir.resolve("events.jsonl");
        ConsoleRun generate =
                ConsoleRun.execute(
                        "generate",
                        "--output",
                        events.toString(),
                        "--events",
                        "200000",
                        "--scenario",
                        "ctr-drop@2026-01-01T02:00:00Z");
        assertThat(generate.exit()).as(generate.errors()).isZero();

        Path out = dir.resolve("out");
        try (LauncherJvm run =
                LauncherJvm.startOnFlinkRuntime(
                        dir,
                        "run",
                        applicationJar(),
                        List.of(
                                "run",
                                "--input",
                                events.toString(),
                                "--output",
                                out.toString(),
                                "--set",
                                "job.web-ui-port=0",
                                "--set",
                                "job.parallelism=2"))) {
            assertThat(run.process().waitFor(REPLAY_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("replay ended within %s; %s", REPLAY_TIMEOUT, run.outputs())
                    .isTrue();
            assertThat(run.process().exitValue()).as(run.outputs()).isZero();
            assertThat(run.stdout())
                    .contains("Replay finished")
                    .contains("200000 events read")
                    .contains("metric points");
        }
        assertThat(Files.readAllLines(out.resolve(LocalOutputs.METRICS_FILE))).isNotEmpty();
        // The same alarm RecsysMonitorCliITCase expects from this traffic on the launcher's
        // classpath: CTR falls at 02:00, the overall low-CTR alarm fires at 05:00.
        List<Alert> alerts =
                Files.readAllLines(out.resolve(LocalOutputs.ALERTS_FILE)).stream()
                        .map(AlertJson::decode)
                        .collect(Collectors.toList());
        assertThat(alerts)
                .anySatisfy(
                        a -> {
                            assertThat(a.dimensions).isEmpty();
                            assertThat(a.alarmName).isEqualTo("recommendation-low-ctr");
                            assertThat(a.time)
                                    .isEqualTo(
                                            Instant.parse("2026-01-01T05:00:00Z").toEpochMilli());
                        });
    }

    private static <B extends AwsClientBuilder<B, ?>> B aws(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(
                                        MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)));
    }

    /**
     * The deployment's configuration (Kinesis source, CloudWatch and SNS sinks) as the service runs
     * it, against the emulator: FlinkKinesisConsumer and the SDK clients load from the application
     * jar, read what the generator puts into the streams, and metric points reach CloudWatch.
     */
    @Test
    void readsKinesisAndWritesCloudWatchOnTheFlinkRuntimeClasspath() throws Exception {
        URI endpoint = MotoServer.shared().endpoint();
        // The test's own Kinesis client speaks JSON to the emulator as well.
        System.setProperty("aws.cborEnabled", "false");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String predictions = "lean-jar-predictions-" + suffix;
        String feedback = "lean-jar-feedback-" + suffix;
        String namespace = "LeanJar-" + suffix;
        try (KinesisClient kinesis =
                        aws(KinesisClient.builder(), endpoint)
                                .httpClient(UrlConnectionHttpClient.create())
                                .build();
                SnsClient sns =
                        aws(SnsClient.builder(), endpoint)
                                .httpClient(UrlConnectionHttpClient.create())
                                .build();
                CloudWatchClient cloudWatch =
                        aws(CloudWatchClient.builder(), endpoint)
                                .httpClient(UrlConnectionHttpClient.create())
                                .build()) {
            for (String stream : List.of(predictions, feedback)) {
                kinesis.createStream(b -> b.streamName(stream).shardCount(1));
                kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream));
            }
            // The topics the deployment's configuration names; the run checks they exist.
            for (String route : List.of("critical", "warning", "ml")) {
                sns.createTopic(b -> b.name("recsys-" + route + "-alerts"));
            }
            List<String> overrides =
                    List.of(
                            "--set", "aws.endpoint=" + endpoint,
                            "--set", "kinesis.stream=" + predictions,
                            "--set", "kinesis.feedback-stream=" + feedback,
                            "--set", "metrics.namespace=" + namespace,
                            "--set", "job.web-ui-port=0");
            List<String> runArgs = new ArrayList<>();
            runArgs.add("run");
            runArgs.add("--config");
            runArgs.add(
                    LauncherJvm.repositoryRoot()
                            .resolve("flink-application-properties-dev.json")
                            .toString());
            runArgs.addAll(overrides);
            try (LauncherJvm run =
                            LauncherJvm.startOnFlinkRuntime(dir, "run", applicationJar(), runArgs);
                    LauncherJvm generate =
                            LauncherJvm.start(
                                    dir,
                                    "generate",
                                    List.of(
                                            "generate",
                                            "--kinesis-stream",
                                            predictions,
                                            "--kinesis-feedback-stream",
                                            feedback,
                                            "--events",
                                            "0",
                                            "--rate",
                                            "1000",
                                            "--set",
                                            "aws.endpoint=" + endpoint,
                                            "--set",
                                            "aws.region=" + MotoServer.REGION,
                                            "--set",
                                            "aws.credentials=emulator",
                                            "--set",
                                            "kinesis.emulator=true",
                                            "--set",
                                            "generator.start-time=now"))) {
                long deadline = System.nanoTime() + METRICS_TIMEOUT.toNanos();
                boolean metrics = false;
                while (!metrics && System.nanoTime() < deadline) {
                    assertThat(run.process().isAlive()).as(run.outputs()).isTrue();
                    assertThat(generate.process().isAlive()).as(generate.outputs()).isTrue();
                    // Polling an external service: no event of ours says when a point arrived.
                    Thread.sleep(2000);
                    metrics =
                            !cloudWatch
                                    .listMetrics(b -> b.namespace(namespace))
                                    .metrics()
                                    .isEmpty();
                }
                assertThat(metrics)
                        .as("metrics in CloudWatch namespace %s; %s", namespace, run.outputs())
                        .isTrue();
                assertThat(run.process().isAlive()).as(run.outputs()).isTrue();
                assertThat(run.stderr())
                        .as("errors on the console")
                        .doesNotContain("Exception")
                        .doesNotContain("ERROR");
            } finally {
                for (String stream : List.of(predictions, feedback)) {
                    kinesis.deleteStream(b -> b.streamName(stream).enforceConsumerDeletion(true));
                }
            }
        }
    }
}
