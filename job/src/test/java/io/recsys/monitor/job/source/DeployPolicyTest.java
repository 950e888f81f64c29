package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The deployment files against what the job needs and may do: the least-privilege policy in
 * deploy/iam-policy.json, the role in deploy/cloudformation.yaml that must grant the same, and the
 * dev application properties that must load as a valid configuration.
 */
class DeployPolicyTest {
    private static final List<String> KINESIS_ACTIONS =
            Arrays.asList(
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetShardIterator",
                    "kinesis:GetRecords",
                    "kinesis:ListShards");

    private static Path repositoryRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new AssertionError("repository root with deploy/ not found");
    }

    private static JsonNode policy() throws IOException {
        return new ObjectMapper()
                .readTree(repositoryRoot().resolve("deploy/iam-policy.json").toFile());
    }

    /** The role's policy in the template; the parser drops the intrinsic tags (!Ref, !Sub). */
    private static JsonNode templatePolicy() throws IOException {
        JsonNode template =
                new ObjectMapper(new YAMLFactory())
                        .readTree(repositoryRoot().resolve("deploy/cloudformation.yaml").toFile());
        return template.at("/Resources/ApplicationRole/Properties/Policies/0/PolicyDocument");
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isMissingNode()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static TreeSet<String> actions(JsonNode document) {
        TreeSet<String> actions = new TreeSet<>();
        for (JsonNode statement : statements(document)) {
            actions.addAll(texts(statement.get("Action")));
        }
        return actions;
    }

    /**
     * The statements of a policy, including those of the template's {@code !If [condition,
     * statement, !Ref AWS::NoValue]} (the parser leaves the three as an array).
     */
    private static List<JsonNode> statements(JsonNode document) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode statement : document.get("Statement")) {
            if (statement.isArray()) {
                statement.forEach(
                        n -> {
                            if (n.isObject()) {
                                out.add(n);
                            }
                        });
            } else {
                out.add(statement);
            }
        }
        return out;
    }

    /** The template's conditional statements, by the name of their condition. */
    private static Map<String, JsonNode> conditionalStatements(JsonNode document) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode statement : document.get("Statement")) {
            if (statement.isArray()) {
                assertThat(statement).hasSize(3);
                assertThat(statement.get(2).asText()).isEqualTo("AWS::NoValue");
                out.put(statement.get(0).asText(), statement.get(1));
            }
        }
        return out;
    }

    @Test
    void everyStatementAllowsNamedActionsOnly() throws IOException {
        for (JsonNode statement : policy().get("Statement")) {
            assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
            assertThat(texts(statement.get("Action")))
                    .isNotEmpty()
                    .allSatisfy(a -> assertThat(a).doesNotContain("*"));
            assertThat(statement.has("NotAction")).isFalse();
            assertThat(statement.has("NotResource")).isFalse();
        }
    }

    @Test
    void kinesisIsLimitedToPollingTheTwoStreams() throws IOException {
        List<String> granted = new ArrayList<>();
        for (JsonNode statement : policy().get("Statement")) {
            List<String> actions = texts(statement.get("Action"));
            if (actions.stream().noneMatch(a -> a.startsWith("kinesis:"))
                    || statement.path("Sid").asText().equals("PutDeadLettersToKinesis")) {
                continue;
            }
            granted.addAll(actions);
            assertThat(actions).allSatisfy(a -> assertThat(a).startsWith("kinesis:"));
            assertThat(texts(statement.get("Resource")))
                    .isNotEmpty()
                    .allSatisfy(
                            r ->
                                    assertThat(r)
                                            .matches(
                                                    "arn:aws:kinesis:REGION:ACCOUNT_ID:stream/"
                                                            + "recsys-(predictions|feedback)"));
        }
        assertThat(granted).containsExactlyInAnyOrderElementsOf(KINESIS_ACTIONS);
    }

    @Test
    void deadLettersMayOnlyBeSentToTheirQueueOrStream() throws IOException {
        Map<String, JsonNode> bySid = new TreeMap<>();
        for (JsonNode statement : policy().get("Statement")) {
            List<String> actions = texts(statement.get("Action"));
            if (actions.stream().anyMatch(a -> a.startsWith("sqs:"))
                    || actions.contains("kinesis:PutRecords")) {
                bySid.put(statement.path("Sid").asText(), statement);
            }
        }
        assertThat(bySid).containsOnlyKeys("SendDeadLettersToSqs", "PutDeadLettersToKinesis");
        assertThat(texts(bySid.get("SendDeadLettersToSqs").get("Action")))
                .containsExactly("sqs:SendMessage");
        assertThat(texts(bySid.get("SendDeadLettersToSqs").get("Resource")))
                .containsExactly("arn:aws:sqs:REGION:ACCOUNT_ID:recsys-dead-letters");
        assertThat(texts(bySid.get("PutDeadLettersToKinesis").get("Action")))
                .containsExactly("kinesis:PutRecords");
        assertThat(texts(bySid.get("PutDeadLettersToKinesis").get("Resource")))
                .containsExactly("arn:aws:kinesis:REGION:ACCOUNT_ID:stream/recsys-dead-letters");
    }

    @Test
    void templateGrantsTheDeadLetterPermissionOnlyForTheChosenDestination() throws IOException {
        JsonNode template =
                new ObjectMapper(new YAMLFactory())
                        .readTree(repositoryRoot().resolve("deploy/cloudformation.yaml").toFile());
        Map<String, JsonNode> conditional = conditionalStatements(templatePolicy());
        assertThat(conditional).containsOnlyKeys("DeadLettersToSqs", "DeadLettersToKinesis");
        assertThat(texts(conditional.get("DeadLettersToSqs").get("Action")))
                .containsExactly("sqs:SendMessage");
        assertThat(texts(conditional.get("DeadLettersToKinesis").get("Action")))
                .containsExactly("kinesis:PutRecords");
        assertThat(template.at("/Parameters/DeadLetterDestination/Default").asText())
                .isEqualTo("log");
        assertThat(template.at("/Resources/DeadLetterQueue/Condition").asText())
                .isEqualTo("DeadLettersToSqs");
        assertThat(
                        template.at("/Resources/DeadLetterQueue/Properties/SqsManagedSseEnabled")
                                .asBoolean())
                .isTrue();
        assertThat(template.at("/Resources/DeadLetterStream/Condition").asText())
                .isEqualTo("DeadLettersToKinesis");
        assertThat(
                        template.at(
                                        "/Resources/DeadLetterStream/Properties/StreamEncryption/EncryptionType")
                                .asText())
                .isEqualTo("KMS");
        // The application is told where the role may write.
        JsonNode groups =
                template.at(
                        "/Resources/Application/Properties/ApplicationConfiguration"
                                + "/EnvironmentProperties/PropertyGroups");
        JsonNode deadLetter = null;
        for (JsonNode group : groups) {
            if (group.path("PropertyGroupId").asText().equals("dead-letter")) {
                deadLetter = group.get("PropertyMap");
            }
        }
        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.has("destination")).isTrue();
        assertThat(deadLetter.has("sqs-queue-url")).isTrue();
        assertThat(deadLetter.has("kinesis-stream")).isTrue();
    }

    @Test
    void snsMayPublishToAndCheckTheThreeTopicsOnly() throws IOException {
        for (JsonNode statement : policy().get("Statement")) {
            List<String> actions = texts(statement.get("Action"));
            if (actions.stream().anyMatch(a -> a.startsWith("sns:"))) {
                assertThat(actions)
                        .containsExactlyInAnyOrder("sns:Publish", "sns:GetTopicAttributes");
                assertThat(texts(statement.get("Resource")))
                        .containsExactlyInAnyOrder(
                                "arn:aws:sns:REGION:ACCOUNT_ID:recsys-critical-alerts",
                                "arn:aws:sns:REGION:ACCOUNT_ID:recsys-warning-alerts",
                                "arn:aws:sns:REGION:ACCOUNT_ID:recsys-ml-alerts");
            }
        }
    }

    @Test
    void metricsOnlyIntoTheConfiguredNamespace() throws IOException {
        String namespace = MonitorConfig.defaults().get(Settings.METRIC_NAMESPACE);
        int statements = 0;
        for (JsonNode statement : policy().get("Statement")) {
            List<String> actions = texts(statement.get("Action"));
            if (actions.stream().anyMatch(a -> a.startsWith("cloudwatch:"))) {
                statements++;
                assertThat(actions).containsExactly("cloudwatch:PutMetricData");
                assertThat(statement.at("/Condition/StringEquals/cloudwatch:namespace").asText())
                        .isEqualTo(namespace);
            }
        }
        assertThat(statements).isEqualTo(1);
    }

    @Test
    void onlyPutMetricDataHasAWildcardResource() throws IOException {
        for (JsonNode statement : policy().get("Statement")) {
            if (texts(statement.get("Resource")).contains("*")) {
                assertThat(texts(statement.get("Action")))
                        .containsExactly("cloudwatch:PutMetricData");
            }
        }
    }

    @Test
    void templateRoleGrantsTheSameActions() throws IOException {
        JsonNode templatePolicy = templatePolicy();

        assertThat(templatePolicy.isMissingNode()).isFalse();
        assertThat(actions(templatePolicy)).isEqualTo(actions(policy()));
    }

    @Test
    void templateRunsOnFlink120() throws IOException {
        JsonNode app =
                new ObjectMapper(new YAMLFactory())
                        .readTree(repositoryRoot().resolve("deploy/cloudformation.yaml").toFile())
                        .at("/Resources/Application");

        assertThat(app.get("Type").asText()).isEqualTo("AWS::KinesisAnalyticsV2::Application");
        assertThat(app.at("/Properties/RuntimeEnvironment").asText()).isEqualTo("FLINK-1_20");
    }

    @Test
    void devPropertiesLoadAsAnEmulatorKinesisConfiguration() {
        MonitorConfig config =
                new ConfigLoader()
                        .file(repositoryRoot().resolve("flink-application-properties-dev.json"))
                        .load();

        assertThat(config.get(Settings.SOURCE_TYPE)).isEqualTo("kinesis");
        assertThat(config.get(Settings.SINKS_TYPE)).isEqualTo("aws");
        assertThat(config.get(Settings.KINESIS_EMULATOR)).isTrue();
        assertThat(config.get(Settings.AWS_CREDENTIALS)).isEqualTo("emulator");
        assertThat(config.get(Settings.SNS_ML_TOPIC_ARN))
                .startsWith("arn:aws:sns:us-east-1:123456789012:");
        Properties consumer =
                KinesisInput.consumerProperties(
                        config,
                        () -> {
                            throw new AssertionError("aws.region is set");
                        });
        assertThat(consumer.getProperty("aws.endpoint")).isEqualTo("http://127.0.0.1:5000");
        assertThat(KinesisInput.streams(config))
                .containsExactly("recsys-predictions", "recsys-feedback");
    }
}
