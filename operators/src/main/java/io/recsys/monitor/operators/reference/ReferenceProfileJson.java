package io.recsys.monitor.operators.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.operators.drift.EmpiricalCdf;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Reads and writes {@link ReferenceProfile}s in the versioned JSON format of
 * docs/reference-profile.md ({@code "format": "recsys-monitor-reference-profile", "format_version":
 * 1}). Reading validates what the drift operators rely on and fails with an {@link
 * IllegalArgumentException} naming the JSON path, never with a half-read profile; a newer {@code
 * format_version} is refused rather than misread.
 */
public final class ReferenceProfileJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReferenceProfileJson() {}

    public static String write(ReferenceProfile profile) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", ReferenceProfile.FORMAT);
        root.put("format_version", ReferenceProfile.FORMAT_VERSION);
        root.put("reference_version", profile.referenceVersion);
        root.put("created_at", profile.createdAt);
        root.put("source", profile.source);
        ObjectNode models = root.putObject("models");
        profile.models.forEach((name, model) -> writeModel(models.putObject(name), model));
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write reference profile", e);
        }
    }

    /** The profile with only the named model's entry (for per-model broadcast state). */
    public static String writeModel(ReferenceProfile profile, String model) {
        ModelProfile only = profile.models.get(model);
        return write(
                new ReferenceProfile(
                        profile.referenceVersion,
                        profile.createdAt,
                        profile.source,
                        only == null
                                ? Collections.<String, ModelProfile>emptyMap()
                                : Collections.singletonMap(model, only)));
    }

    private static void writeModel(ObjectNode node, ModelProfile model) {
        node.put("events", model.events);
        ObjectNode features = node.putObject("features");
        for (Map.Entry<String, NumericProfile> e : model.numericalFeatures.entrySet()) {
            ObjectNode f = features.putObject(e.getKey());
            f.put("kind", "numerical");
            writeNumeric(f, e.getValue());
        }
        for (Map.Entry<String, CategoricalProfile> e : model.categoricalFeatures.entrySet()) {
            ObjectNode f = features.putObject(e.getKey());
            f.put("kind", "categorical");
            f.put("count", e.getValue().count);
            ObjectNode categories = f.putObject("categories");
            e.getValue().categories.forEach(categories::put);
        }
        if (model.scores != null) {
            writeNumeric(node.putObject("scores"), model.scores);
        }
        ObjectNode items = node.putObject("item_exposures");
        model.itemExposures.forEach(items::put);
        node.put("catalogue_size", model.catalogueSize);
    }

    private static void writeNumeric(ObjectNode f, NumericProfile p) {
        f.put("count", p.count);
        putNumber(f, "mean", p.mean);
        putNumber(f, "sd", p.standardDeviation);
        putNumber(f, "min", p.min);
        putNumber(f, "max", p.max);
        ObjectNode d = f.putObject("distribution");
        d.put("encoding", p.distribution.rankError() == 0.0 ? "exact" : "quantiles");
        d.put("rank_error", p.distribution.rankError());
        d.set("values", MAPPER.valueToTree(p.distribution.values()));
        d.set("cumulative_counts", MAPPER.valueToTree(p.distribution.cumulativeCounts()));
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    /** Parses a profile; throws {@link IllegalArgumentException} naming what is wrong. */
    public static ReferenceProfile read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "reference profile is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("reference profile must be a JSON object");
        }
        if (!ReferenceProfile.FORMAT.equals(text(root, "format", "$"))) {
            throw new IllegalArgumentException(
                    "$.format must be '" + ReferenceProfile.FORMAT + "'");
        }
        long version = integer(root, "format_version", "$");
        if (version != ReferenceProfile.FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "$.format_version "
                            + version
                            + " is not supported (this version reads "
                            + ReferenceProfile.FORMAT_VERSION
                            + ")");
        }
        String referenceVersion = text(root, "reference_version", "$");
        if (referenceVersion.isEmpty()) {
            throw new IllegalArgumentException("$.reference_version must not be empty");
        }
        JsonNode models = object(root, "models", "$");
        Map<String, ModelProfile> profiles = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : models.properties()) {
            profiles.put(e.getKey(), readModel(e.getValue(), "$.models." + e.getKey()));
        }
        return new ReferenceProfile(
                referenceVersion,
                optionalText(root, "created_at"),
                optionalText(root, "source"),
                profiles);
    }

    private static ModelProfile readModel(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        Map<String, NumericProfile> numeric = new TreeMap<>();
        Map<String, CategoricalProfile> categorical = new TreeMap<>();
        JsonNode features = object(node, "features", path);
        for (Map.Entry<String, JsonNode> e : features.properties()) {
            String fpath = path + ".features." + e.getKey();
            String kind = text(e.getValue(), "kind", fpath);
            if ("numerical".equals(kind)) {
                numeric.put(e.getKey(), readNumeric(e.getValue(), fpath));
            } else if ("categorical".equals(kind)) {
                categorical.put(
                        e.getKey(),
                        new CategoricalProfile(counts(e.getValue(), "categories", fpath)));
            } else {
                throw new IllegalArgumentException(
                        fpath + ".kind must be numerical or categorical, got '" + kind + "'");
            }
        }
        NumericProfile scores =
                node.hasNonNull("scores")
                        ? readNumeric(node.get("scores"), path + ".scores")
                        : null;
        Map<String, Long> items =
                node.hasNonNull("item_exposures")
                        ? counts(node, "item_exposures", path)
                        : Collections.<String, Long>emptyMap();
        long catalogue =
                node.hasNonNull("catalogue_size") ? integer(node, "catalogue_size", path) : 0;
        return new ModelProfile(
                integer(node, "events", path), numeric, categorical, scores, items, catalogue);
    }

    private static NumericProfile readNumeric(JsonNode node, String path) {
        JsonNode d = object(node, "distribution", path);
        String dpath = path + ".distribution";
        JsonNode values = d.get("values");
        JsonNode counts = d.get("cumulative_counts");
        if (values == null || !values.isArray() || counts == null || !counts.isArray()) {
            throw new IllegalArgumentException(
                    dpath + " must have arrays 'values' and 'cumulative_counts'");
        }
        double[] v = new double[values.size()];
        long[] c = new long[counts.size()];
        Arrays.setAll(v, i -> values.get(i).asDouble(Double.NaN));
        Arrays.setAll(c, i -> counts.get(i).asLong(-1));
        double rankError = d.path("rank_error").asDouble(0.0);
        if (!(rankError >= 0 && rankError < 1)) {
            throw new IllegalArgumentException(dpath + ".rank_error must be in [0, 1)");
        }
        EmpiricalCdf cdf;
        try {
            cdf = EmpiricalCdf.of(v, c, rankError);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dpath + ": " + e.getMessage(), e);
        }
        return new NumericProfile(
                integer(node, "count", path),
                number(node, "mean"),
                number(node, "sd"),
                number(node, "min"),
                number(node, "max"),
                cdf);
    }

    private static Map<String, Long> counts(JsonNode node, String field, String path) {
        JsonNode object = object(node, field, path);
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
                throw new IllegalArgumentException(
                        path + "." + field + "." + e.getKey() + " must be a count >= 0");
            }
            counts.put(e.getKey(), e.getValue().asLong());
        }
        return counts;
    }

    private static JsonNode object(JsonNode node, String field, String path) {
        return required(node, field, path, JsonNode::isObject, "an object");
    }

    private static String text(JsonNode node, String field, String path) {
        return required(node, field, path, JsonNode::isTextual, "a string").asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static long integer(JsonNode node, String field, String path) {
        return required(
                        node,
                        field,
                        path,
                        v -> v.canConvertToLong() && v.isIntegralNumber(),
                        "an integer")
                .asLong();
    }

    /** The field's value; throws naming its JSON path when it is missing or not {@code what}. */
    private static JsonNode required(
            JsonNode node, String field, String path, Predicate<JsonNode> valid, String what) {
        JsonNode value = node.get(field);
        if (value == null || !valid.test(value)) {
            throw new IllegalArgumentException(path + "." + field + " must be " + what);
        }
        return value;
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
    }
}
