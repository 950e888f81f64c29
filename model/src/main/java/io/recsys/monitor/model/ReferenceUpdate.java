package io.recsys.monitor.model;

import java.util.Objects;

/**
 * The text of a reference profile file as read by the reference source, broadcast to every drift
 * operator. It travels as text, not as a parsed profile, so that the broadcast record and the
 * checkpointed broadcast state stay a plain POJO and string whatever the profile holds; each
 * operator parses it once.
 */
public class ReferenceUpdate {
    /** Where it was read from, for logs; may be null. */
    public String source;

    /** The whole file, JSON (docs/reference-profile.md). */
    public String json;

    public ReferenceUpdate() {}

    public ReferenceUpdate(String source, String json) {
        this.source = source;
        this.json = json;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReferenceUpdate)) {
            return false;
        }
        ReferenceUpdate that = (ReferenceUpdate) o;
        return Objects.equals(source, that.source) && Objects.equals(json, that.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, json);
    }

    @Override
    public String toString() {
        return "ReferenceUpdate{" + source + ", " + (json == null ? 0 : json.length()) + " chars}";
    }
}
