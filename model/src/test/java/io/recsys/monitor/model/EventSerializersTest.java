package io.recsys.monitor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class EventSerializersTest {
    private static final String[] TEXTS = {null, "", "v1", "premium", "é€😀", "x".repeat(300)};

    @Test
    void aPredictionReadsBackEqualWhateverItsFieldsHold() throws IOException {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            PredictionEvent p = randomPrediction(random);
            PredictionEvent back = roundTrip(PredictionEventSerializer.INSTANCE, p);
            assertThat(back).isNotSameAs(p).isEqualTo(p);
            assertThat(back.userId).isEqualTo(p.userId);
            assertThat(back.errorType).isEqualTo(p.errorType);
        }
    }

    @Test
    void aFeedbackEventReadsBackEqualWithEveryActionAndNone() throws IOException {
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            FeedbackEvent f = new FeedbackEvent();
            f.requestId = pick(random);
            f.userId = pick(random);
            f.itemId = pick(random);
            f.eventTime = random.nextLong();
            int action = random.nextInt(FeedbackAction.values().length + 1);
            f.action = action == 0 ? null : FeedbackAction.values()[action - 1];
            f.orderValue = random.nextBoolean() ? Double.NaN : random.nextDouble() * 100;
            f.rating = random.nextBoolean() ? Double.NaN : 1 + random.nextInt(5);
            assertThat(roundTrip(FeedbackEventSerializer.INSTANCE, f)).isEqualTo(f);
        }
    }

    @Test
    void anEngagementSignalReadsBackEqualWithEveryKindAndRanking() throws IOException {
        Random random = new Random(9);
        EngagementSignal.Kind[] kinds = EngagementSignal.Kind.values();
        for (int i = 0; i < 500; i++) {
            int kind = random.nextInt(kinds.length + 1);
            EngagementSignal s =
                    new EngagementSignal(
                            random.nextLong(),
                            pick(random),
                            pick(random),
                            kind == 0 ? null : kinds[kind - 1],
                            random.nextInt(20),
                            random.nextBoolean() ? 0 : random.nextDouble() * 500,
                            random.nextInt(11));
            if (random.nextBoolean()) {
                s.ranking =
                        new RankingOutcome(
                                random.nextDouble(),
                                random.nextDouble(),
                                random.nextDouble(),
                                random.nextDouble());
            }
            EngagementSignal back = roundTrip(EngagementSignalSerializer.INSTANCE, s);
            assertThat(back).isEqualTo(s);
            assertThat(back.ranking).isEqualTo(s.ranking);
        }
        EngagementSignal s = new EngagementSignal();
        assertThat(EngagementSignalSerializer.INSTANCE.copy(s)).isSameAs(s);
    }

    @Test
    void chainedOperatorsShareTheEventAndTheTypeUsesTheCompactSerializer() {
        PredictionEvent p = new PredictionEvent();
        assertThat(PredictionEventSerializer.INSTANCE.copy(p)).isSameAs(p);
        FeedbackEvent f = new FeedbackEvent();
        assertThat(FeedbackEventSerializer.INSTANCE.copy(f)).isSameAs(f);
        assertThat(PredictionEventSerializer.TYPE.createSerializer(new SerializerConfigImpl()))
                .isSameAs(PredictionEventSerializer.INSTANCE);
    }

    @Test
    void theCompactFormIsSmallerThanThePojoForm() throws IOException {
        PredictionEvent p = randomPrediction(new Random(3));
        TypeSerializer<PredictionEvent> pojo =
                TypeInformation.of(PredictionEvent.class)
                        .createSerializer(new SerializerConfigImpl());
        assertThat(bytes(PredictionEventSerializer.INSTANCE, p)).isLessThan(bytes(pojo, p));
    }

    private static PredictionEvent randomPrediction(Random random) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = pick(random);
        p.eventTime = random.nextLong();
        p.userId = pick(random);
        p.userSegment = pick(random);
        p.modelVersion = pick(random);
        p.latencyMs = random.nextBoolean() ? random.nextDouble() * 1000 : Double.NaN;
        p.error = random.nextBoolean();
        p.errorType = pick(random);
        if (random.nextInt(10) == 0) {
            p.recommendations = null;
        } else {
            p.recommendations = new ArrayList<>();
            for (int i = random.nextInt(12); i > 0; i--) {
                p.recommendations.add(
                        random.nextInt(8) == 0
                                ? null
                                : new RecommendedItem(
                                        pick(random),
                                        random.nextBoolean() ? random.nextDouble() : Double.NaN,
                                        pick(random),
                                        random.nextBoolean() ? random.nextDouble() : Double.NaN));
            }
        }
        if (random.nextInt(10) == 0) {
            p.numericFeatures = null;
        } else {
            p.numericFeatures = new HashMap<>();
            for (int i = random.nextInt(25); i > 0; i--) {
                p.numericFeatures.put(
                        "f" + random.nextInt(40),
                        random.nextInt(10) == 0 ? null : random.nextGaussian() * 1e6);
            }
        }
        if (random.nextInt(10) == 0) {
            p.categoricalFeatures = null;
        } else {
            for (int i = random.nextInt(6); i > 0; i--) {
                p.categoricalFeatures.put("c" + random.nextInt(10), pick(random));
            }
        }
        if (random.nextInt(10) == 0) {
            p.nullFeatures = null;
        } else {
            for (int i = random.nextInt(4); i > 0; i--) {
                p.nullFeatures.add(pick(random));
            }
        }
        return p;
    }

    private static String pick(Random random) {
        return TEXTS[random.nextInt(TEXTS.length)];
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        // A second record behind the first: the reader must stop exactly at its end.
        serializer.serialize(value, out);
        DataInputDeserializer in =
                new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        T first = serializer.deserialize(in);
        T second = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        assertThat(second).isEqualTo(first);
        return first;
    }

    private static <T> int bytes(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.length();
    }
}
