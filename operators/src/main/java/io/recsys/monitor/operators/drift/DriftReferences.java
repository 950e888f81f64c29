package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference profiles in force, by model version, as the drift operators parse them from the
 * broadcast reference files: a new file replaces the profiles of the models it names; one that does
 * not parse is logged and ignored. Both the drift operator and the pre-aggregation before it hold
 * one (the pre-aggregation sketches the features the profile names). Plain Java; each operator
 * keeps the single-model JSON ({@link #apply}) in its broadcast state and reloads it with {@link
 * #load} after a restore.
 */
final class DriftReferences {
    private static final Logger LOG = LoggerFactory.getLogger(DriftReferences.class);

    private final Map<String, InForce> byModel = new HashMap<>();

    /**
     * Parses {@code update} and puts its models' profiles in force; returns model version to that
     * model's profile as single-model JSON (empty when the file does not parse).
     */
    Map<String, String> apply(ReferenceUpdate update) {
        ReferenceProfile profile;
        try {
            profile = ReferenceProfileJson.read(update.json == null ? "" : update.json);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "event=drift_reference_rejected source=\"{}\" reason=\"{}\"",
                    update.source,
                    e.getMessage());
            return Map.of();
        }
        Map<String, String> json = new HashMap<>();
        for (String model : profile.models.keySet()) {
            json.put(model, ReferenceProfileJson.writeModel(profile, model));
            byModel.put(model, new InForce(profile.referenceVersion, profile.models.get(model)));
        }
        return json;
    }

    /** Puts a model's profile in force again from the JSON that {@link #apply} returned. */
    void load(String model, String json) {
        try {
            ReferenceProfile profile = ReferenceProfileJson.read(json);
            ModelProfile modelProfile = profile.models.get(model);
            if (modelProfile != null) {
                byModel.put(model, new InForce(profile.referenceVersion, modelProfile));
            }
        } catch (IllegalArgumentException ex) {
            LOG.warn("event=drift_reference_unreadable model=\"{}\"", model);
        }
    }

    /** The model version's profile, else the {@link ReferenceProfile#DEFAULT} one, else null. */
    InForce forModel(String modelVersion) {
        InForce profile = byModel.get(modelVersion);
        return profile != null ? profile : byModel.get(ReferenceProfile.DEFAULT);
    }

    /** A parsed model profile and the version of the reference it came from. */
    static final class InForce {
        final String version;
        final ModelProfile profile;

        InForce(String version, ModelProfile profile) {
            this.version = version;
            this.profile = profile;
        }
    }
}
