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
 * module needs no Jackson: the fields left out while unset and the fields that hold times. Every
 * field is written under its snake_case name, in the order the record declares it (the documented
 * order; {@code EncodedLinesTest} holds the lines of the first release), unless a mixin says
 * otherwise.
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
    abstract static class AlertFields {
        @Dimensions TreeMap<String, String> dimensions;
        @UtcTime long time;

        @OmittedIfNull String priority;
        @OmittedIfNull String action;
        @OmittedIfNull String kind;
        @OmittedIfNull String notification;
        @OmittedIfNull String summary;
        @OmittedIfNull String modelVersion;
        @OmittedIfEmpty double[] recentValues;
        @OmittedIfEmpty List<String> runbook;
        @OmittedIfNull String heldBackBy;
        @UtcTime long heldBackSince;
    }

    abstract static class DriftReportFields {
        @UtcTime long windowStart;
        @UtcTime long windowEnd;
    }

    // A dead letter reads best reason first; the model declares its category first.
    @JsonPropertyOrder({"reason", "category"})
    abstract static class DeadLetterFields {
        @OmittedIfNull String rawBase64;
        @UtcTime long receivedAt;
    }

    /** A field left out while {@code null}. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    @JacksonAnnotationsInside
    @JsonInclude(Include.NON_NULL)
    @interface OmittedIfNull {}

    /** A list or array left out while {@code null} or empty. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    @JacksonAnnotationsInside
    @JsonInclude(Include.NON_EMPTY)
    @interface OmittedIfEmpty {}

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
