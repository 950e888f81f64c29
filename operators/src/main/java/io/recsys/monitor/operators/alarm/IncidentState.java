package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.model.MapTypeInfoFactory;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The state of the incident stage: every alarm series that ever changed state (by deduplication
 * key) and the state of every composite alarm per scope. Held in one value of one key, because
 * inhibition and composite rules relate series that the first stage keeps apart; its size grows
 * with the number of alarm series (a few hundred bytes each), not with traffic.
 */
public class IncidentState {
    @TypeInfo(MapTypeInfoFactory.class)
    public Map<String, SeriesStatus> series = new HashMap<>();

    public IncidentState() {}
}
