package io.recsys.monitor.sinks.json;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonFilter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.impl.SimpleBeanPropertyFilter;
import com.fasterxml.jackson.databind.ser.impl.SimpleFilterProvider;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.JsonFields.UtcTime;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.TreeMap;

/**
 * How each record of the model maps to its JSON line, kept beside the encoders so that the model
 * module needs no Jackson: the field order of the documented formats, the fields left out while
 * unset, and the fields that hold times. Every other field is written under its snake_case name.
 */
final class RecordMixins {

    private RecordMixins() {}

    static void addTo(ObjectMapper mapper) {
        mapper.addMixIn(MetricPoint.class, MetricPointFields.class)
                .addMixIn(Alert.class, AlertFields.class)
                .addMixIn(DriftReport.class, DriftReportFields.class)
                .addMixIn(DeadLetter.class, DeadLetterFields.class)
                .setFilterProvider(
                        new SimpleFilterProvider()
                                .addFilter(HeldBackSince.ID, new HeldBackSince()));
    }

    @JsonPropertyOrder({
        "namespace",
        "metric",
        "dimensions",
        "timestamp",
        "value",
        "unit",
        "windowStart",
        "windowEnd",
        "samples",
        "sampleStdDev"
    })
    abstract static class MetricPointFields {
        @Dimensions TreeMap<String, String> dimensions;
        @UtcTime long timestamp;
        @UtcTime long windowStart;
        @UtcTime long windowEnd;

        @JsonInclude(value = Include.CUSTOM, valueFilter = NotPositive.class)
        long samples;

        @JsonInclude(value = Include.CUSTOM, valueFilter = NotFinite.class)
        double sampleStdDev;
    }

    @JsonFilter(HeldBackSince.ID)
    @JsonPropertyOrder({
        "alarmName",
        "severity",
        "state",
        "previousState",
        "metric",
        "dimensions",
        "value",
        "threshold",
        "time",
        "reason",
        "route",
        "deduplicationKey",
        "priority",
        "action",
        "kind",
        "notification",
        "summary",
        "modelVersion",
        "recentValues",
        "runbook",
        "heldBackBy",
        "heldBackSince"
    })
    abstract static class AlertFields {
        @Dimensions TreeMap<String, String> dimensions;
        @UtcTime long time;

        @JsonInclude(Include.NON_NULL)
        String priority;

        @JsonInclude(Include.NON_NULL)
        String action;

        @JsonInclude(Include.NON_NULL)
        String kind;

        @JsonInclude(Include.NON_NULL)
        String notification;

        @JsonInclude(Include.NON_NULL)
        String summary;

        @JsonInclude(Include.NON_NULL)
        String modelVersion;

        @JsonInclude(Include.NON_EMPTY)
        double[] recentValues;

        @JsonInclude(Include.NON_EMPTY)
        List<String> runbook;

        @JsonInclude(Include.NON_NULL)
        String heldBackBy;

        @UtcTime long heldBackSince;
    }

    @JsonPropertyOrder({
        "modelVersion",
        "feature",
        "test",
        "statistic",
        "pValue",
        "effectSize",
        "nReference",
        "nCurrent",
        "errorBound",
        "drifted",
        "flaggedByMinutes",
        "severity",
        "referenceVersion",
        "windowStart",
        "windowEnd",
        "retrainingRecommended",
        "psi",
        "jensenShannon",
        "varianceChange",
        "foldedCategories"
    })
    abstract static class DriftReportFields {
        @UtcTime long windowStart;
        @UtcTime long windowEnd;
    }

    @JsonPropertyOrder({"reason", "category", "raw", "rawBase64", "source", "receivedAt"})
    abstract static class DeadLetterFields {
        @JsonInclude(Include.NON_NULL)
        String rawBase64;

        @UtcTime long receivedAt;
    }

    /** Dimensions as a flat object of strings; none as {@code {}}. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    @JacksonAnnotationsInside
    @JsonSerialize(nullsUsing = EmptyObject.class)
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    @interface Dimensions {}

    /** Writes a missing object as an empty one. */
    static final class EmptyObject extends JsonSerializer<Object> {
        @Override
        public void serialize(Object none, JsonGenerator g, SerializerProvider p)
                throws IOException {
            g.writeStartObject();
            g.writeEndObject();
        }
    }

    /** Leaves out a count that is unknown (0). */
    static final class NotPositive {
        @Override
        public boolean equals(Object count) {
            return count instanceof Long && (Long) count <= 0;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** Leaves out a number that is unknown (NaN). */
    static final class NotFinite {
        @Override
        public boolean equals(Object number) {
            return number instanceof Double && !Double.isFinite((Double) number);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** An alert's {@code held_back_since} means something only beside its {@code held_back_by}. */
    private static final class HeldBackSince extends SimpleBeanPropertyFilter {
        static final String ID = "held-back-since";

        @Override
        public void serializeAsField(
                Object alert, JsonGenerator g, SerializerProvider p, PropertyWriter writer)
                throws Exception {
            if (!"held_back_since".equals(writer.getName()) || ((Alert) alert).heldBackBy != null) {
                writer.serializeAsField(alert, g, p);
            }
        }
    }
}
