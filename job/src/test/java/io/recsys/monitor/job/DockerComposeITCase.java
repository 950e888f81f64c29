package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local stack of docker-compose.yml cannot run here (no Docker engine), so this checks what
 * would break it: the mounted jar is the one the build makes, and the job's and the generator's
 * settings are valid configuration. CI also validates the file with docker-compose config.
 */
class DockerComposeITCase {
    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    @Test
    void mountsTheApplicationJarTheBuildMakes() throws IOException {
        List<String> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir =
                Files.newDirectoryStream(Paths.get("target"), "*-application.jar")) {
            dir.forEach(p -> jars.add(p.getFileName().toString()));
        }
        assertThat(jars).hasSize(1);
        JsonNode volumes = compose().at("/x-flink/volumes");
        assertThat(volumes.toString())
                .contains("./job/target/" + jars.get(0) + ":/opt/flink/usrlib/");
    }

    @Test
    void publishesPortsOnLoopbackOnlyAndClosesTheClustersRestApi() throws IOException {
        JsonNode services = compose().get("services");
        List<String> published = new ArrayList<>();
        services.fields()
                .forEachRemaining(
                        service ->
                                service.getValue()
                                        .path("ports")
                                        .forEach(port -> published.add(port.asText())));
        assertThat(published)
                .isNotEmpty()
                .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        String flinkProperties = compose().at("/x-flink/environment/FLINK_PROPERTIES").asText();
        assertThat(flinkProperties)
                .contains("web.submit.enable: false")
                .contains("web.cancel.enable: false");
    }

    @Test
    void theJobsConfigurationIsValidAndPointsAtTheEmulator() throws IOException {
        String command = compose().at("/services/jobmanager/command").asText();
        assertThat(command).contains("--job-classname " + RecsysMonitor.class.getName());
        MonitorConfig config =
                new ConfigLoader()
                        .file(ROOT.resolve("deploy/local/application-properties.json"))
                        .load();
        assertThat(config.get(Settings.SOURCE_TYPE)).isEqualTo("kinesis");
        assertThat(config.get(Settings.SINKS_TYPE)).isEqualTo("aws");
        assertThat(config.get(Settings.AWS_ENDPOINT)).isEqualTo("http://aws:5000");
        assertThat(config.get(Settings.KINESIS_EMULATOR)).isTrue();
        String init =
                new String(Files.readAllBytes(ROOT.resolve("deploy/local/create-resources.py")));
        assertThat(compose().at("/services/aws-init/environment/STREAM").asText())
                .isEqualTo(config.get(Settings.KINESIS_STREAM));
        for (String topicArn :
                new String[] {
                    config.get(Settings.SNS_CRITICAL_TOPIC_ARN),
                    config.get(Settings.SNS_WARNING_TOPIC_ARN),
                    config.get(Settings.SNS_ML_TOPIC_ARN)
                }) {
            assertThat(init).contains(topicArn.substring(topicArn.lastIndexOf(':') + 1));
        }
    }

    @Test
    void theGeneratorsSettingsAreValid() throws IOException {
        String command = compose().at("/services/generator/command").asText();
        String[] words = command.trim().split("\\s+");
        ConfigLoader loader = new ConfigLoader();
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equals("--set")) {
                loader.set(words[i + 1]);
            }
        }
        MonitorConfig config = loader.load();
        assertThat(config.get(Settings.AWS_ENDPOINT)).isEqualTo("http://aws:5000");
        assertThat(command).contains("--kinesis-stream recsys-events");
    }
}
