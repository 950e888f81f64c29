package io.recsys.monitor.job.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which requests the local web UI lets through to Flink's REST API: reading is always allowed,
 * changing anything only where an option says so.
 *
 * <p>Flink's {@code web.submit.enable} and {@code web.cancel.enable} switch off buttons and the jar
 * handlers, but its REST API still takes a job graph with jars ({@code POST /jobs}), cancels a job
 * ({@code PATCH /jobs/ID}, {@code GET /jobs/ID/yarn-cancel}), stops it with a savepoint written to
 * any directory, and shuts the cluster down ({@code DELETE /cluster}). So the decision is made
 * here, in front of it: GET and HEAD pass; jar upload and job submission only with {@code
 * job.web-submit}; cancel, stop and savepoints only with {@code job.web-cancel}; every other
 * request that changes something is refused. Paths are matched decoded and without the API's
 * version prefix, as Flink's router matches them.
 *
 * <p>A request whose {@code Host} is not this machine's own name for the UI is refused too, unless
 * the UI listens on every interface: a web page cannot then reach the UI through a DNS name that it
 * controls and re-points at 127.0.0.1 (DNS rebinding).
 */
public final class WebUiAccess {
    private static final Set<String> LOOPBACK_HOSTS =
            Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean submitAllowed;
    private final boolean cancelAllowed;
    private final String bindAddress;

    public WebUiAccess(boolean submitAllowed, boolean cancelAllowed, String bindAddress) {
        this.submitAllowed = submitAllowed;
        this.cancelAllowed = cancelAllowed;
        this.bindAddress = bindAddress;
    }

    /** The verdict on one request; {@code hostHeader} may be null. */
    public Decision decide(String method, URI uri, String hostHeader) {
        if (!isOwnHost(hostHeader)) {
            return Decision.refused(
                    "host '" + hostHeader + "' is not this web UI's (job.bind-address)");
        }
        String verb = method.toUpperCase(Locale.ROOT);
        List<String> path = segments(uri);
        boolean reads = verb.equals("GET") || verb.equals("HEAD");
        if (path.contains(".") || path.contains("..")) {
            // The UI never sends them, and a router that resolved them would see another path.
            return Decision.refused("paths with dot segments are not allowed here");
        }
        String rawPath = uri.getRawPath();
        if (uri.getRawAuthority() != null
                || rawPath == null
                || !rawPath.startsWith("/")
                || rawPath.startsWith("//")) {
            return Decision.refused("the path must be absolute and name no host");
        }
        if (path.stream().anyMatch(segment -> segment.indexOf('%') >= 0)) {
            // Flink's router decodes a path twice: what is still encoded after one decoding
            // would be read as another path there than here. The UI never sends it.
            return Decision.refused("paths encoded twice are not allowed here");
        }
        if (isJobControl(verb, path)) {
            return cancelAllowed
                    ? Decision.ALLOWED
                    : Decision.refused(
                            "cancelling or stopping the job is off (set job.web-cancel=true)");
        }
        if (isSubmission(verb, path)) {
            return submitAllowed
                    ? Decision.ALLOWED
                    : Decision.refused(
                            "uploading and running jars is off (set job.web-submit=true)");
        }
        return reads
                ? Decision.ALLOWED
                : Decision.refused("the web UI is read-only: " + verb + " is not allowed here");
    }

    private boolean isOwnHost(String hostHeader) {
        if (isWildcard(bindAddress)) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        String host = stripPort(hostHeader.trim().toLowerCase(Locale.ROOT));
        return LOOPBACK_HOSTS.contains(host)
                || host.equals(bindAddress.toLowerCase(Locale.ROOT))
                || host.equals("[" + bindAddress.toLowerCase(Locale.ROOT) + "]");
    }

    private static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        // One colon: host:port; more: a bare IPv6 literal without brackets.
        return colon >= 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
    }

    static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    /** Cancel, stop (also the legacy YARN GET endpoints), and savepoints, which write anywhere. */
    private static boolean isJobControl(String verb, List<String> path) {
        if (path.contains("yarn-cancel") || path.contains("yarn-stop")) {
            return true;
        }
        if (path.size() < 2 || !path.get(0).equals("jobs")) {
            return false;
        }
        if (path.size() == 2) {
            return verb.equals("PATCH");
        }
        String action = path.get(2);
        return (path.size() == 3 && action.equals("stop") && !isRead(verb))
                || (path.size() == 3 && action.equals("savepoints") && !isRead(verb));
    }

    /** Jar upload, run, plan and delete, and a job graph posted with its jars. */
    private static boolean isSubmission(String verb, List<String> path) {
        if (path.isEmpty()) {
            return false;
        }
        if (path.get(0).equals("jobs")) {
            return path.size() == 1 && !isRead(verb);
        }
        return path.get(0).equals("jars") && !isRead(verb);
    }

    private static boolean isRead(String verb) {
        return verb.equals("GET") || verb.equals("HEAD");
    }

    /** Decoded, lower-case path segments without empty ones and without a {@code v1} prefix. */
    static List<String> segments(URI uri) {
        String path = uri.getPath();
        List<String> segments = new ArrayList<>();
        if (path != null) {
            for (String segment : path.split("/")) {
                if (!segment.isEmpty()) {
                    segments.add(segment.toLowerCase(Locale.ROOT));
                }
            }
        }
        if (!segments.isEmpty() && segments.get(0).matches("v[0-9]+")) {
            segments.remove(0);
        }
        return segments;
    }

    /** Allowed, or refused with a reason a person can act on. */
    public static final class Decision {
        static final Decision ALLOWED = new Decision(true, null);

        private final boolean allowed;
        private final String reason;

        private Decision(boolean allowed, String reason) {
            this.allowed = allowed;
            this.reason = reason;
        }

        static Decision refused(String reason) {
            return new Decision(false, reason);
        }

        public boolean allowed() {
            return allowed;
        }

        /** Why it was refused; null when allowed. */
        public String reason() {
            return reason;
        }
    }
}
