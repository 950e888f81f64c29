package io.recsys.monitor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.config.AlarmCatalog;
import java.io.InputStream;
import java.util.Set;

/**
 * The default KPI alarms judged by value (`confidence: 0`), for tests whose hand-crafted traffic
 * has a few events an hour: their intervals are far too wide to prove any breach, which is the
 * point of the interval rule, but these tests check the pipeline from the events to the alert.
 */
final class CraftedTrafficAlarms {
    private static final Set<String> BY_VALUE =
            Set.of(
                    "recommendation-low-ctr",
                    "recommendation-low-conversion-rate",
                    "recommendation-low-average-order-value",
                    "recommendation-low-coverage");

    private CraftedTrafficAlarms() {}

    /** The `alarms` setting: the default entries above with `confidence: 0`, as JSON. */
    static String byValue() throws Exception {
        ObjectMapper yaml =
                new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        ArrayNode out = new ObjectMapper().createArrayNode();
        try (InputStream in =
                AlarmCatalog.class.getResourceAsStream(AlarmCatalog.DEFAULTS_RESOURCE)) {
            for (JsonNode alarm : yaml.readTree(in).get("alarms")) {
                if (BY_VALUE.contains(alarm.path("name").asText())) {
                    out.add(((ObjectNode) alarm.deepCopy()).put("confidence", 0));
                }
            }
        }
        return new ObjectMapper().writeValueAsString(out);
    }
}
