package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The application jar for Managed Service for Apache Flink: our code and connectors, with the main
 * class in its manifest, and neither the Flink runtime nor a logging backend inside (the service
 * provides both; a second copy breaks class loading or logging).
 */
class ApplicationJarITCase {

    private static Path applicationJar() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir =
                Files.newDirectoryStream(Paths.get("target"), "*-application.jar")) {
            dir.forEach(jars::add);
        }
        assertThat(jars).as("application jar under job/target").hasSize(1);
        return jars.get(0);
    }

    @Test
    void holdsTheJobWithoutFlinkRuntimeOrLoggingBackends() throws IOException {
        try (JarFile jar = new JarFile(applicationJar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(RecsysMonitor.class.getName());
            List<String> entries =
                    Collections.list(jar.entries()).stream()
                            .map(e -> e.getName())
                            .collect(Collectors.toList());
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
}
