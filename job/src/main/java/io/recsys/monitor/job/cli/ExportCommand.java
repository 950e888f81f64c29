package io.recsys.monitor.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.export.AlarmTemplate;
import io.recsys.monitor.job.export.CloudWatchDashboards;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.operators.alarm.KnownMetrics;
import io.recsys.monitor.operators.dataquality.DeadLetterRules;
import io.recsys.monitor.operators.ingest.FoldDimensions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recsys-monitor export}: the CloudWatch dashboards of the operations guide and the alarm
 * definitions of this configuration as a CloudFormation template, so that CloudWatch can evaluate
 * exactly the alarms the job evaluates.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write the CloudWatch dashboards (dashboard-body JSON, one file per dashboard) and the"
                    + " alarm definitions as a CloudFormation template of AWS::CloudWatch::Alarm and"
                    + " AWS::CloudWatch::CompositeAlarm, from the same configuration the job reads."
        })
public class ExportCommand implements Callable<Integer> {
    @Mixin ConfigOptions configOptions = new ConfigOptions();

    @Option(
            names = "--dashboards",
            paramLabel = "DIR",
            description = "directory for the dashboard JSON files")
    Path dashboards;

    @Option(
            names = "--alarms",
            paramLabel = "FILE",
            description = "CloudFormation template to write (JSON)")
    Path alarms;

    @Option(
            names = "--dimension",
            paramLabel = "NAME=V1,V2",
            description =
                    "known values of a dimension, one alarm per value (repeatable; defaults:"
                            + " ModelVersion = generator.model-versions, Stream=predictions,feedback,"
                            + " ErrorType = the generator's three error types, Feature = the"
                            + " generator's features, Rule = the dead-letter categories)")
    List<String> dimensions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (dashboards == null && alarms == null) {
            throw new IllegalArgumentException(
                    "Nothing to export: give --dashboards DIR and/or --alarms FILE");
        }
        ConfigLoader loader = configOptions.loader();
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();
        KnownMetrics.check(config.alarmCatalog());
        Map<String, List<String>> values = dimensionValues(config, dimensions);
        ObjectMapper json = new ObjectMapper();
        if (dashboards != null) {
            Files.createDirectories(dashboards);
            CloudWatchDashboards d =
                    new CloudWatchDashboards(
                            config.alarmCatalog(),
                            config.get(Settings.METRIC_NAMESPACE),
                            config.get(Settings.AWS_REGION).isEmpty()
                                    ? "us-east-1"
                                    : config.get(Settings.AWS_REGION),
                            values.get(MetricNames.MODEL_VERSION),
                            values.get(MetricNames.STREAM),
                            values.get(MetricNames.ERROR_TYPE));
            for (Map.Entry<String, ObjectNode> e : d.build().entrySet()) {
                Path file = dashboards.resolve(e.getKey() + ".json");
                Files.write(
                        file,
                        json.writerWithDefaultPrettyPrinter().writeValueAsBytes(e.getValue()));
                System.out.println("Wrote dashboard " + file);
            }
        }
        if (alarms != null) {
            ObjectNode template =
                    new AlarmTemplate(
                                    config.alarmCatalog(),
                                    config.get(Settings.METRIC_NAMESPACE),
                                    values)
                            .build();
            Path parent = alarms.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(
                    alarms,
                    (json.writerWithDefaultPrettyPrinter().writeValueAsString(template) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
            System.out.println(
                    "Wrote "
                            + template.get("Resources").size()
                            + " alarms to "
                            + alarms
                            + " ("
                            + template.get("Metadata").get("NotExported").size()
                            + " not exportable, see Metadata.NotExported)");
        }
        return 0;
    }

    /** The known dimension values: generator defaults, then the --dimension options. */
    public static Map<String, List<String>> dimensionValues(
            MonitorConfig config, List<String> options) {
        Map<String, List<String>> defaults = new LinkedHashMap<>();
        defaults.put(MetricNames.MODEL_VERSION, config.get(Settings.GENERATOR_MODEL_VERSIONS));
        defaults.put(MetricNames.STREAM, Arrays.asList("predictions", "feedback"));
        defaults.put(MetricNames.ERROR_TYPE, TrafficSimulator.ERROR_TYPES);
        defaults.put(MetricNames.FEATURE, TrafficSimulator.FEATURES);
        defaults.put(MetricNames.RULE, DeadLetterRules.CATEGORIES);
        defaults.put(MetricNames.DIMENSION, FoldDimensions.DIMENSIONS);
        return AlarmTemplate.dimensionValues(defaults, options);
    }
}
