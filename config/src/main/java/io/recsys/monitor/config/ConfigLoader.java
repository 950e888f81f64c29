package io.recsys.monitor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads raw settings from the places a user can put them, in increasing precedence: a YAML,
 * properties or application-properties JSON file; the runtime property groups of Managed Service
 * for Apache Flink; and {@code key=value} overrides from the command line.
 *
 * <p>Property groups map to keys by prefix: the group {@value #ROOT_GROUP} holds full keys, any
 * other group id is the prefix of its keys (group {@code alarms.low-ctr}, key {@code
 * critical-threshold} is {@code alarms.low-ctr.critical-threshold}).
 *
 * <p>A YAML list of plain values becomes comma-joined text ({@code generator.scenarios}); a list of
 * mappings (the {@code alarms:} and {@code alarm-inhibitions:} definitions) becomes its JSON text,
 * which the setting parses as a whole.
 */
public final class ConfigLoader {
    /** The property group whose keys are taken as they are. */
    public static final String ROOT_GROUP = "recsys-monitor";

    private final Map<String, String> raw = new LinkedHashMap<>();

    /**
     * Adds the settings of a file: {@code .yaml}/{@code .yml}, {@code .properties} or {@code
     * .json}.
     */
    public ConfigLoader file(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("Configuration file not found: " + path);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".properties")) {
                Properties props = new Properties();
                try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                    props.load(reader);
                }
                for (String key : props.stringPropertyNames()) {
                    raw.put(key, props.getProperty(key));
                }
            } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                try (InputStream in = Files.newInputStream(path)) {
                    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
                    if (root != null && !root.isMissingNode() && !root.isNull()) {
                        if (!root.isObject()) {
                            throw new ConfigException(
                                    "Configuration file " + path + " must hold a mapping of keys");
                        }
                        flatten("", root, raw);
                    }
                }
            } else if (name.endsWith(".json")) {
                try (InputStream in = Files.newInputStream(path)) {
                    propertyGroups(parsePropertyGroups(new ObjectMapper().readTree(in), path));
                }
            } else {
                throw new ConfigException(
                        "Configuration file "
                                + path
                                + " must end in .yaml, .yml, .properties or .json");
            }
        } catch (IOException e) {
            throw new ConfigException(
                    "Cannot read configuration file " + path + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Adds runtime property groups (group id to its properties). */
    public ConfigLoader propertyGroups(Map<String, Properties> groups) {
        for (Map.Entry<String, Properties> group : groups.entrySet()) {
            String prefix = ROOT_GROUP.equals(group.getKey()) ? "" : group.getKey() + ".";
            for (String key : group.getValue().stringPropertyNames()) {
                raw.put(prefix + key, group.getValue().getProperty(key));
            }
        }
        return this;
    }

    /** Adds one override. */
    public ConfigLoader set(String key, String value) {
        raw.put(key, value);
        return this;
    }

    /** Adds an override written as {@code key=value}. */
    public ConfigLoader set(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(
                    "Invalid override '"
                            + assignment
                            + "': expected key=value, e.g. job.parallelism=2");
        }
        return set(assignment.substring(0, eq).trim(), assignment.substring(eq + 1));
    }

    /** The raw settings gathered so far. */
    public Map<String, String> raw() {
        return new LinkedHashMap<>(raw);
    }

    /** Validates what was gathered. */
    public MonitorConfig load() {
        return MonitorConfig.of(raw);
    }

    /**
     * Parses the application-properties JSON of Managed Service for Apache Flink: an array of
     * {@code {"PropertyGroupId": ..., "PropertyMap": {...}}}.
     */
    static Map<String, Properties> parsePropertyGroups(JsonNode root, Path path) {
        if (root == null || !root.isArray()) {
            throw new ConfigException(
                    "Application properties file "
                            + path
                            + " must be a JSON array of {\"PropertyGroupId\", \"PropertyMap\"}");
        }
        Map<String, Properties> groups = new LinkedHashMap<>();
        for (JsonNode group : root) {
            JsonNode id = group.get("PropertyGroupId");
            JsonNode map = group.get("PropertyMap");
            if (id == null || !id.isTextual() || map == null || !map.isObject()) {
                throw new ConfigException(
                        "Application properties file "
                                + path
                                + ": each group needs a PropertyGroupId text and a PropertyMap object");
            }
            Properties props = groups.computeIfAbsent(id.asText(), k -> new Properties());
            map.fields()
                    .forEachRemaining(f -> props.setProperty(f.getKey(), f.getValue().asText()));
        }
        return groups;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
                flatten(key, f.getValue(), out);
            }
        } else if (node.isArray()) {
            boolean structured = false;
            for (JsonNode item : node) {
                structured |= item.isContainerNode();
            }
            if (structured) {
                // A list of mappings (alarms:, alarm-inhibitions:) stays one value, as JSON text,
                // so that it reaches its setting whole and reads the same from every source.
                out.put(prefix, node.toString());
                return;
            }
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                items.add(item.asText());
            }
            out.put(prefix, String.join(",", items));
        } else {
            out.put(prefix, node.isNull() ? "" : node.asText());
        }
    }
}
