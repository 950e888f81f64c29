package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command shares: a configuration file and key=value overrides. */
public class ConfigOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "configuration file: .yaml, .properties, or application-properties .json")
    Path configFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "override one configuration key (repeatable), e.g. --set job.parallelism=1")
    List<String> overrides = new ArrayList<>();

    /**
     * A loader holding the file's settings; the caller adds its own options, then the overrides.
     */
    ConfigLoader loader() {
        ConfigLoader loader = new ConfigLoader();
        if (configFile != null) {
            loader.file(configFile);
        }
        return loader;
    }

    /** Sets {@code setting} to a command's option, unless the option was not given (null). */
    static void setIfGiven(ConfigLoader loader, Setting<?> setting, Object value) {
        if (value != null) {
            loader.set(setting.key(), value.toString());
        }
    }

    void applyOverrides(ConfigLoader loader) {
        for (String assignment : overrides) {
            loader.set(assignment);
        }
    }
}
