package io.recsys.monitor.job;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The whole job replaying fixed lines on a test's mini-cluster, its outputs written as the local
 * JSON-lines files that {@link RunOutputs} reads back: the scaffolding of the tests that judge the
 * job by what it writes for a known input, often the synthetic generator's traffic.
 *
 * <p>A test registers {@link #miniCluster()} as its extension, builds its lines (with {@link
 * #generatedLines} or by hand) and calls {@link #run}; or, to judge the alerts of generated traffic
 * alone, {@link #alertsOfGeneratedTraffic}.
 */
final class LocalReplay {
    /** More than one channel, so that no result may depend on all records meeting in one. */
    static final int PARALLELISM = 2;

    private LocalReplay() {}

    /** One task manager with a slot for each of the job's parallel channels. */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(PARALLELISM)
                        .build());
    }

    /**
     * The generator's events for the {@code generator.*} settings of {@code config}, requests and
     * the feedback they cause alike, of event times before {@code end}, as raw JSON lines in
     * event-time order.
     */
    static List<String> generatedLines(MonitorConfig config, long end) {
        TrafficSimulator traffic = new TrafficSimulator(GeneratorSettings.fromConfig(config));
        List<String> lines = new ArrayList<>();
        for (GeneratedEvent e = traffic.next(); e.eventTime < end; e = traffic.next()) {
            lines.add(e.json);
        }
        return lines;
    }

    /**
     * Runs {@link MonitoringJob} over {@code lines} to their end, its outputs written fresh into
     * {@code output}; Kryo is off ({@code pipeline.generic-types: false}) so that a record type
     * Flink does not recognise as a POJO fails the run.
     */
    static JobExecutionResult run(
            String jobName, List<String> lines, MonitorConfig config, Path output)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        MonitoringJob.build(
                env, new FixedInput(lines, config), LocalOutputs.fresh(output, false), config);
        return env.execute(jobName);
    }

    /**
     * Runs the job over the generator's traffic of event times before {@code end} ({@link
     * #generatedLines}) and returns the alerts it wrote into {@code output}.
     */
    static List<Alert> alertsOfGeneratedTraffic(
            String jobName, MonitorConfig config, long end, Path output) throws Exception {
        run(jobName, generatedLines(config, end), config, output);
        return RunOutputs.alerts(output);
    }
}
