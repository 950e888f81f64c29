package io.recsys.monitor.operators;

import io.recsys.monitor.operators.alarm.AlarmState;
import io.recsys.monitor.operators.alarm.IncidentState;
import io.recsys.monitor.operators.alarm.SeriesStatus;
import io.recsys.monitor.operators.engagement.ServedResponse;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The records and state entries that only operators hold (the model module's test covers the shared
 * ones) must be Flink POJOs with no field left to Kryo, whose state does not survive a change of
 * the class. Service health's counts are not here: they travel in the sliced-metric records, whose
 * codec-backed type information AccumulatorTypeInfoTest covers.
 */
class OperatorRecordsSerializationTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                ServedResponse.class,
                AlarmState.class,
                SeriesStatus.class,
                IncidentState.class
            })
    void serializedAsPojoWithoutKryo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }
}
