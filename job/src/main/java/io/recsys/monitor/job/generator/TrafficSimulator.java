package io.recsys.monitor.job.generator;

import io.recsys.monitor.model.FeedbackAction;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Synthetic traffic of a recommendation service: prediction events, then the funnel of feedback
 * each one causes (impression, click, add to cart, purchase), as raw JSON lines in event-time
 * order. It exists so that the job can be demonstrated without any AWS account, and so that tests
 * and benchmarks get streams whose true rates, drifts and faults are known in advance.
 *
 * <p>Pure Java, single-threaded and deterministic: equal {@link GeneratorSettings} give equal
 * sequences, and {@link #skipTo(long)} reaches the n-th event of that sequence. Each request draws
 * from its own {@link SplittableRandom#split() split} stream, so a scenario changes only the
 * requests it touches and leaves the rest of the traffic as it would have been.
 *
 * <p>Feedback is scheduled in a priority queue when its request is generated and emitted when its
 * time comes, interleaved with later predictions; ties in event time keep generation order.
 */
public final class TrafficSimulator implements Iterator<GeneratedEvent> {

    /** Distinct users; each has a fixed segment, model version, age and country. */
    static final int USERS = 100_000;

    // Lognormal latency: p50 = 60 ms and p99 = 400 ms give sigma = ln(400 / 60) / 2.326.
    static final double LATENCY_MEDIAN_MS = 60.0;
    static final double LATENCY_SIGMA = Math.log(400.0 / 60.0) / 2.3263;
    // Healthy is below the guide's 0.1 % target, and quiet enough for its count alarm (more than 10
    // errors a minute, twice) at its 1,000 requests/s: 3 errors a minute on average.
    static final double BASE_ERROR_RATE = 0.00005;
    static final double BURST_ERROR_RATE = 0.2;
    static final double SPIKE_LATENCY_FACTOR = 5.0;
    static final double DROPPED_CLICK_FACTOR = 0.4;
    static final double MALFORMED_SCENARIO_SHARE = 0.05;

    // Popularity ~ (rank + 1)^-0.8: a long tail without one item taking most of the slots.
    static final double ZIPF_EXPONENT = 0.8;
    // Click probability ~ rank^-0.6, rescaled so that its mean over ranks is the click rate.
    static final double CLICK_RANK_DECAY = 0.6;

    // Lognormal prices; median 44.70 and sigma 0.7 give a mean price of ~57 dollars, and with
    // the mean quantity of 1.4 an average order value of ~80 dollars.
    static final double PRICE_MEDIAN = 44.70;
    static final double PRICE_SIGMA = 0.7;

    static final double USER_AGE_MEAN = 36.0;
    static final double USER_AGE_SD = 11.0;
    static final double DRIFT_AGE_SHIFT = 8.0;
    static final double DRIFT_SESSION_FACTOR = 1.6;

    // Standard deviations that the shift scenarios move means by: of 180 * exp(0.9 Z), of the mean
    // of two uniforms, and of the top score, uniform on [0.55, 0.98].
    static final double SESSION_LENGTH_SD =
            180.0 * Math.sqrt((Math.exp(0.81) - 1.0) * Math.exp(0.81));
    static final double PRICE_SENSITIVITY_SD = Math.sqrt(1.0 / 24.0);
    static final double TOP_SCORE_MIN = 0.55;
    static final double TOP_SCORE_SPAN = 0.43;
    static final double TOP_SCORE_SD = TOP_SCORE_SPAN / Math.sqrt(12.0);

    /** The value a {@code shift:new-category} gives: {@code new_} and the feature's name. */
    public static final String NEW_CATEGORY_PREFIX = "new_";

    static final int MAX_RECOMMENDATIONS = 100;

    // Funnel delays, ms. The longest chain (2 s + 2 min + 5 min + 20 min) stays under the
    // 30-minute attribution window of the job.
    private static final int IMPRESSION_DELAY_MAX = 2_000;
    private static final int CLICK_DELAY_MIN = 1_000;
    private static final int CLICK_DELAY_MAX = 120_000;
    private static final int CART_DELAY_MIN = 10_000;
    private static final int CART_DELAY_MAX = 300_000;
    private static final int PURCHASE_DELAY_MIN = 60_000;
    private static final int PURCHASE_DELAY_MAX = 1_200_000;

    /** The longest a feedback event can follow its request: the longest funnel chain above. */
    public static final long MAX_FEEDBACK_DELAY_MILLIS =
            IMPRESSION_DELAY_MAX + CLICK_DELAY_MAX + CART_DELAY_MAX + PURCHASE_DELAY_MAX;

    private static final String[] CATEGORY_NAMES = {
        "electronics", "books", "fashion", "home", "beauty", "sports", "toys", "grocery", "garden",
        "automotive", "music", "movies", "health", "office", "pets", "baby", "jewelry", "shoes",
        "tools", "games"
    };
    private static final String[] DEVICES = {"mobile", "desktop", "tablet", "smart_tv"};
    private static final double[] DEVICE_CUMULATIVE = {0.58, 0.92, 1.0, 1.0};
    // After feature drift a device almost never seen before takes the largest share.
    private static final double[] DRIFTED_DEVICE_CUMULATIVE = {0.25, 0.50, 0.60, 1.0};
    private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "IN", "BR", "JP", "CA"};
    private static final double[] COUNTRY_CUMULATIVE = {
        0.40, 0.52, 0.62, 0.70, 0.82, 0.90, 0.96, 1.0
    };

    /** The features every generated prediction carries, in the order they are written. */
    public static final List<String> FEATURES =
            Collections.unmodifiableList(
                    Arrays.asList(
                            "user_age",
                            "session_length_s",
                            "items_in_cart",
                            "days_since_last_visit",
                            "price_sensitivity",
                            "device",
                            "country",
                            "is_logged_in",
                            "referrer"));

    private static final String[] REFERRERS = {null, "search", "direct", "email", "social"};
    // 5 % without a referrer: visible in FeatureMissingRate, below the guide's 10 % issue level.
    private static final double[] REFERRER_CUMULATIVE = {0.05, 0.45, 0.75, 0.88, 1.0};

    /** The category mixes a {@code shift:category} can move, by feature. */
    private static final Map<String, double[]> CATEGORY_CUMULATIVE =
            Map.of(
                    "device", DEVICE_CUMULATIVE,
                    "country", COUNTRY_CUMULATIVE,
                    "referrer", REFERRER_CUMULATIVE);

    /** The error types of failed responses, in the order of their cumulative shares. */
    public static final List<String> ERROR_TYPES =
            Collections.unmodifiableList(
                    Arrays.asList("ModelTimeout", "FeatureStoreUnavailable", "ModelServerError"));

    private static final double[] ERROR_TYPE_CUMULATIVE = {0.5, 0.8, 1.0};
    private static final double[] RATING_CUMULATIVE = {0.05, 0.12, 0.27, 0.60, 1.0};
    private static final double RATING_SHARE = 0.35;
    private static final String[] UNKNOWN_ACTIONS = {"hover", "share", "wishlist", "dislike"};

    private static final int NO_FAULT = -1;
    private static final int FAULT_TRUNCATED = 0;
    private static final int FAULT_MISSING_REQUEST_ID = 1;
    private static final int FAULT_WRONG_TYPE = 2;
    // Too many recommendations on a prediction, an unknown action on feedback.
    private static final int FAULT_OUT_OF_CONTRACT = 3;
    private static final int FAULT_KINDS = 4;

    private static final long EXTRA_FEATURE_STRIDE = 0x9E3779B97F4A7C15L;
    private static final long MS_PER_DAY = 86_400_000L;
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000};

    private final GeneratorSettings settings;
    private final SplittableRandom arrivals;
    private final SplittableRandom faults;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(1024, Pending::compare);
    private final java.util.List<Scenario> scenarios;
    private final long[] scenarioStart = new long[Scenario.Kind.values().length];
    private final Scenario[] shifts;
    // Per shift: the cumulative shares of a shift:category's feature after the move, else null.
    private final double[][] shiftedShares;
    private final String[] quotedSegments;
    private final String[] quotedModelVersions;
    private final double[] clickProbabilityByRank;
    private final int recommendations;
    private final double meanGapMs;
    private final double zipfSpan;
    private final StringBuilder out = new StringBuilder(4096);

    private double nextArrival;
    private long requestSeq;
    private long eventSeq;
    private long emitted;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedDayPrefix;

    public TrafficSimulator(GeneratorSettings settings) {
        this.settings = settings;
        this.arrivals = new SplittableRandom(settings.seed());
        // Faults come from their own stream so that malformed lines never change the traffic.
        this.faults = new SplittableRandom(mix(settings.seed() ^ 0x5DEECE66DL));
        this.scenarios = new java.util.ArrayList<>(settings.scenarios());
        // The earliest start per kind makes the common check (nothing active yet) one comparison.
        Arrays.fill(scenarioStart, Long.MAX_VALUE);
        for (Scenario s : scenarios) {
            int k = s.kind().ordinal();
            scenarioStart[k] = Math.min(scenarioStart[k], s.startMillis());
        }
        this.shifts = scenarios.stream().filter(s -> s.kind().isShift()).toArray(Scenario[]::new);
        this.shiftedShares = new double[shifts.length][];
        checkShifts(scenarios, settings.extraFeatures());
        for (int i = 0; i < shifts.length; i++) {
            if (shifts[i].kind() == Scenario.Kind.SHIFT_CATEGORY) {
                shiftedShares[i] = movedShares(shifts[i]);
            }
        }
        this.quotedSegments = quoteAll(settings.segments());
        this.quotedModelVersions = quoteAll(settings.modelVersions());
        this.recommendations =
                Math.min(settings.recommendationsPerResponse(), settings.catalogueSize());
        this.clickProbabilityByRank = clickProbabilities(settings.clickRate(), recommendations);
        this.meanGapMs = 1000.0 / settings.requestsPerSecond();
        this.zipfSpan = Math.pow(settings.catalogueSize() + 1.0, 1.0 - ZIPF_EXPONENT) - 1.0;
        this.nextArrival = settings.startTimeMillis();
    }

    /** Events returned or skipped so far; the index of the next event. */
    public long emitted() {
        return emitted;
    }

    /** Always true: the traffic never ends. */
    @Override
    public boolean hasNext() {
        return true;
    }

    /** The next event in event-time order. */
    @Override
    public GeneratedEvent next() {
        Pending p = advance();
        String json = p instanceof Prediction ? render((Prediction) p) : render((Feedback) p);
        return new GeneratedEvent(
                p.time, json, p.fault != NO_FAULT, p.requestSeq, p instanceof Feedback);
    }

    /**
     * The next event without its JSON ({@link GeneratedEvent#json} is null): its time, request and
     * kind, for counting a span of traffic at a fraction of the cost of writing it. It advances the
     * sequence exactly as {@link #next()} does.
     */
    public GeneratedEvent nextWithoutJson() {
        Pending p = advance();
        return new GeneratedEvent(
                p.time, null, p.fault != NO_FAULT, p.requestSeq, p instanceof Feedback);
    }

    /**
     * Generates and discards events (without writing their JSON) until {@code n} events have been
     * produced, so that the next call of {@link #next()} returns the event at index {@code n}.
     *
     * @throws IllegalArgumentException when {@code n} events have already been produced
     */
    public void skipTo(long n) {
        if (n < emitted) {
            throw new IllegalArgumentException(
                    "Cannot skip back to event " + n + ": " + emitted + " already produced");
        }
        while (emitted < n) {
            advance();
        }
    }

    private Pending advance() {
        // A request not yet generated starts at floor(nextArrival) or later and all its
        // events come after it, so the head of the queue is safe to emit once it is no later.
        while (queue.isEmpty() || queue.peek().time > (long) Math.floor(nextArrival)) {
            generateRequest();
        }
        Pending p = queue.poll();
        emitted++;
        double share = settings.malformedShare();
        if (isActive(Scenario.Kind.MALFORMED_EVENTS, p.time)) {
            share += MALFORMED_SCENARIO_SHARE;
        }
        // Always draw, so that a line's fault depends only on its index and settings.
        double u = faults.nextDouble();
        long faultSeed = faults.nextLong();
        if (u < share) {
            p.fault = (int) Math.floorMod(faultSeed, (long) FAULT_KINDS);
            p.faultSeed = faultSeed;
        }
        return p;
    }

    private boolean isActive(Scenario.Kind kind, long eventTime) {
        if (eventTime < scenarioStart[kind.ordinal()]) {
            return false;
        }
        for (Scenario s : scenarios) {
            if (s.kind() == kind && s.isActiveAt(eventTime)) {
                return true;
            }
        }
        return false;
    }

    // --- traffic ---

    private void generateRequest() {
        long time = (long) Math.floor(nextArrival);
        // A slowly varying rate: each gap drawn at the rate of its start (exact when flat).
        nextArrival +=
                -Math.log(1.0 - arrivals.nextDouble()) * meanGapMs / settings.cycle().volume(time);
        SplittableRandom r = arrivals.split();

        Prediction p = new Prediction();
        p.time = time;
        p.seq = eventSeq++;
        p.requestSeq = requestSeq++;
        p.user = r.nextInt(USERS);
        long userHash = mix(settings.seed() ^ (p.user * 0x9E3779B97F4A7C15L));
        p.segment = quotedSegments[(int) Math.floorMod(userHash, (long) quotedSegments.length)];
        p.modelVersion =
                quotedModelVersions[
                        (int) Math.floorMod(mix(userHash + 1), (long) quotedModelVersions.length)];
        boolean drift = isActive(Scenario.Kind.FEATURE_DRIFT, time);
        p.drifted = drift;

        double latency = LATENCY_MEDIAN_MS * Math.exp(LATENCY_SIGMA * gaussian(r));
        double errorRate =
                isActive(Scenario.Kind.ERROR_BURST, time) ? BURST_ERROR_RATE : BASE_ERROR_RATE;
        if (r.nextDouble() < errorRate) {
            int type = pick(ERROR_TYPE_CUMULATIVE, r.nextDouble());
            p.errorType = ERROR_TYPES.get(type);
            if (type == 0) {
                latency = 1000.0 + 600.0 * r.nextDouble(); // the serving timeout, then failure
            } else if (type == 1) {
                latency += 200.0 + 600.0 * r.nextDouble(); // retries against the store
            } else {
                latency *= 1.5;
            }
        }
        if (isActive(Scenario.Kind.LATENCY_SPIKE, time)) {
            latency *= SPIKE_LATENCY_FACTOR;
        }
        p.latencyMs = latency;

        p.userAge = userAge(userHash, numericShift("user_age", time));
        p.country =
                COUNTRIES[
                        pick(shares("country", COUNTRY_CUMULATIVE, time), unit(mix(userHash + 3)))];
        if (drift) {
            p.userAge += (int) DRIFT_AGE_SHIFT;
        }
        p.sessionLengthS = 180.0 * Math.exp(0.9 * gaussian(r));
        if (drift) {
            p.sessionLengthS *= DRIFT_SESSION_FACTOR;
        }
        p.sessionLengthS += SESSION_LENGTH_SD * numericShift("session_length_s", time);
        int cart = 0;
        while (cart < 20 && r.nextDouble() < 0.45) {
            cart++;
        }
        p.itemsInCart = cart;
        p.daysSinceLastVisit =
                (int) Math.min(365.0, Math.floor(-Math.log(1.0 - r.nextDouble()) * 6.0));
        p.priceSensitivity = (r.nextDouble() + r.nextDouble()) / 2.0;
        p.priceSensitivity += PRICE_SENSITIVITY_SD * numericShift("price_sensitivity", time);
        double[] devices =
                drift ? DRIFTED_DEVICE_CUMULATIVE : shares("device", DEVICE_CUMULATIVE, time);
        p.device = DEVICES[pick(devices, r.nextDouble())];
        p.loggedIn = r.nextDouble() < 0.72;
        p.referrer = REFERRERS[pick(shares("referrer", REFERRER_CUMULATIVE, time), r.nextDouble())];
        if (shifts.length > 0) {
            p.device = newCategory("device", p.device, p.requestSeq, time);
            p.country = newCategory("country", p.country, p.requestSeq, time);
            p.referrer = newCategory("referrer", p.referrer, p.requestSeq, time);
        }

        queue.add(p);
        if (p.errorType != null) {
            p.items = new int[0];
            p.scores = new double[0];
            return;
        }
        int n = recommendations;
        p.items = new int[n];
        p.scores = new double[n];
        double score =
                drift
                        ? 0.35 + 0.40 * r.nextDouble()
                        : TOP_SCORE_MIN + TOP_SCORE_SPAN * r.nextDouble();
        score += TOP_SCORE_SD * numericShift(null, time);
        for (int k = 0; k < n; k++) {
            p.items[k] = distinctItem(r, p.items, k);
            p.scores[k] = score;
            score *= 0.88 + 0.10 * r.nextDouble();
        }
        scheduleFeedback(p, r);
    }

    /** The user's age, its underlying normal draw moved by {@code shiftSd} standard deviations. */
    private static int userAge(long userHash, double shiftSd) {
        double z = inverseNormal(unit(mix(userHash + 2))) + shiftSd;
        double age = USER_AGE_MEAN + USER_AGE_SD * z;
        return (int) Math.round(Math.max(18.0, Math.min(85.0, age)));
    }

    // --- shift scenarios: deterministic in what was drawn, so they never draw themselves ---

    /**
     * The standard deviations by which the active {@code shift:numeric} scenarios on {@code
     * feature} (or, for null, the {@code shift:score} ones) move it at {@code time}.
     */
    private double numericShift(String feature, long time) {
        double sd = 0.0;
        for (Scenario s : shifts) {
            boolean kind =
                    feature == null
                            ? s.kind() == Scenario.Kind.SHIFT_SCORE
                            : s.kind() == Scenario.Kind.SHIFT_NUMERIC
                                    && feature.equals(s.feature());
            if (kind && s.isActiveAt(time)) {
                sd += s.amount();
            }
        }
        return sd;
    }

    /** The cumulative shares of {@code feature} at {@code time}: a shifted mix, or {@code base}. */
    private double[] shares(String feature, double[] base, long time) {
        for (int i = 0; i < shifts.length; i++) {
            Scenario s = shifts[i];
            if (s.kind() == Scenario.Kind.SHIFT_CATEGORY
                    && feature.equals(s.feature())
                    && s.isActiveAt(time)) {
                return shiftedShares[i];
            }
        }
        return base;
    }

    /**
     * {@code value}, or {@link #NEW_CATEGORY_PREFIX}{@code feature} for the share of requests an
     * active {@code shift:new-category} asks for; which requests is a hash of the seed, the request
     * and the feature, not a draw, so the rest of the traffic stays as it would have been.
     */
    private String newCategory(String feature, String value, long requestSeq, long time) {
        for (Scenario s : shifts) {
            if (s.kind() == Scenario.Kind.SHIFT_NEW_CATEGORY
                    && feature.equals(s.feature())
                    && s.isActiveAt(time)) {
                long hash =
                        mix(
                                settings.seed()
                                        ^ mix(
                                                requestSeq * EXTRA_FEATURE_STRIDE
                                                        + feature.hashCode()));
                if (unit(hash) < s.amount() / 100.0) {
                    return NEW_CATEGORY_PREFIX + feature;
                }
            }
        }
        return value;
    }

    /**
     * The cumulative shares of a {@code shift:category} scenario's feature after the move (a
     * missing referrer is never the least common category).
     */
    private static double[] movedShares(Scenario shift) {
        String feature = shift.feature();
        double[] cumulative = CATEGORY_CUMULATIVE.get(feature);
        if (cumulative == null) {
            throw new IllegalArgumentException("no category mix for '" + feature + "'");
        }
        return movedShares(cumulative, shift.amount() / 100.0, feature.equals("referrer"));
    }

    /**
     * Cumulative shares with {@code points} (a fraction) moved from the most common category to the
     * least common one that occurs ({@code skipFirst}: not the first, the missing referrer).
     */
    static double[] movedShares(double[] cumulative, double points, boolean skipFirst) {
        double[] share = new double[cumulative.length];
        int top = -1;
        int least = -1;
        for (int i = 0; i < cumulative.length; i++) {
            share[i] = cumulative[i] - (i == 0 ? 0.0 : cumulative[i - 1]);
            if (top < 0 || share[i] > share[top]) {
                top = i;
            }
            boolean candidate = share[i] > 0 && !(skipFirst && i == 0);
            if (candidate && (least < 0 || share[i] < share[least])) {
                least = i;
            }
        }
        if (!(points < share[top])) {
            throw new IllegalArgumentException(
                    String.format(
                            java.util.Locale.ROOT,
                            "cannot move %.1f points from a most common category of %.1f %%",
                            points * 100,
                            share[top] * 100));
        }
        share[top] -= points;
        share[least] += points;
        double[] moved = new double[cumulative.length];
        double sum = 0.0;
        for (int i = 0; i < share.length; i++) {
            sum += share[i];
            moved[i] = sum;
        }
        moved[moved.length - 1] = 1.0;
        return moved;
    }

    /**
     * What a shift scenario alone cannot check: that this traffic has its feature and that the
     * shift keeps shares and scores in range.
     *
     * @throws IllegalArgumentException naming the scenario and the limit
     */
    public static void checkShifts(List<Scenario> scenarios, int extraFeatures) {
        for (Scenario s : scenarios) {
            if (s.kind().isShift()) {
                checkShift(s, extraFeatures);
            }
        }
    }

    private static void checkShift(Scenario s, int extraFeatures) {
        int extra = Scenario.extraFeatureIndex(s.feature());
        if (extra > extraFeatures) {
            throw new IllegalArgumentException(
                    "Scenario '"
                            + s
                            + "' shifts "
                            + s.feature()
                            + " but generator.extra-features is "
                            + extraFeatures);
        }
        if (s.kind() == Scenario.Kind.SHIFT_CATEGORY) {
            try {
                movedShares(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Scenario '" + s + "' " + e.getMessage(), e);
            }
        }
        if (s.kind() == Scenario.Kind.SHIFT_SCORE) {
            double low = TOP_SCORE_MIN + s.amount() * TOP_SCORE_SD;
            double high = TOP_SCORE_MIN + TOP_SCORE_SPAN + s.amount() * TOP_SCORE_SD;
            if (low <= 0.0 || high > 1.0) {
                throw new IllegalArgumentException(
                        "Scenario '"
                                + s
                                + "' would move top scores out of (0, 1]: they are uniform on"
                                + " [0.55, 0.98] with sd 0.124, so a shift lies in (-4.43, +0.16]"
                                + " sd");
            }
        }
    }

    private void scheduleFeedback(Prediction p, SplittableRandom r) {
        for (int k = 0; k < p.items.length; k++) {
            if (r.nextDouble() >= settings.impressionRate()) {
                continue;
            }
            int item = p.items[k];
            long shown = p.time + r.nextInt(IMPRESSION_DELAY_MAX + 1);
            schedule(p, item, shown, FeedbackAction.IMPRESSION);
            double click =
                    Math.min(1.0, clickProbabilityByRank[k] * settings.cycle().clicks(shown));
            if (isActive(Scenario.Kind.CTR_DROP, shown)) {
                click *= DROPPED_CLICK_FACTOR;
            }
            if (r.nextDouble() >= click) {
                continue;
            }
            long clicked = shown + between(r, CLICK_DELAY_MIN, CLICK_DELAY_MAX);
            schedule(p, item, clicked, FeedbackAction.CLICK);
            if (r.nextDouble() >= settings.addToCartRate()) {
                continue;
            }
            long carted = clicked + between(r, CART_DELAY_MIN, CART_DELAY_MAX);
            schedule(p, item, carted, FeedbackAction.ADD_TO_CART);
            if (r.nextDouble() >= settings.purchaseRate() * settings.cycle().purchases(carted)) {
                continue;
            }
            long bought = carted + between(r, PURCHASE_DELAY_MIN, PURCHASE_DELAY_MAX);
            Feedback purchase = schedule(p, item, bought, FeedbackAction.PURCHASE);
            double q = r.nextDouble();
            int quantity = q < 0.7 ? 1 : q < 0.9 ? 2 : 3;
            double price = price(item) * settings.cycle().orderValue(bought);
            purchase.orderValue = Math.round(price * 100.0) * quantity / 100.0;
            if (r.nextDouble() < RATING_SHARE) {
                purchase.rating = 1 + pick(RATING_CUMULATIVE, r.nextDouble());
            }
        }
    }

    private Feedback schedule(Prediction p, int item, long time, FeedbackAction action) {
        Feedback f = new Feedback();
        f.time = time;
        f.seq = eventSeq++;
        f.requestSeq = p.requestSeq;
        f.user = p.user;
        f.item = item;
        f.action = action;
        queue.add(f);
        return f;
    }

    /** An item by popularity (item id = popularity rank), not among the first {@code k}. */
    private int distinctItem(SplittableRandom r, int[] chosen, int k) {
        int size = settings.catalogueSize();
        for (int attempt = 0; attempt < 32; attempt++) {
            int item = zipfItem(r.nextDouble(), size);
            if (!contains(chosen, k, item)) {
                return item;
            }
        }
        // Only a tiny catalogue gets here; it has fewer items than the loop has tries.
        int item = r.nextInt(size);
        while (contains(chosen, k, item)) {
            item = (item + 1) % size;
        }
        return item;
    }

    private int zipfItem(double u, int size) {
        // Inverse of the continuous CDF of a density ~ (x + 1)^-s on [0, size].
        double x = Math.pow(1.0 + u * zipfSpan, 1.0 / (1.0 - ZIPF_EXPONENT)) - 1.0;
        return (int) Math.min(size - 1, Math.max(0, (long) x));
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * Click probability per rank, decaying with rank and averaging to {@code clickRate}. When the
     * top rank would exceed 1 the decay is flattened just enough, which keeps the mean.
     */
    static double[] clickProbabilities(double clickRate, int ranks) {
        double[] weights = new double[ranks];
        double sum = 0;
        for (int k = 0; k < ranks; k++) {
            weights[k] = Math.pow(k + 1, -CLICK_RANK_DECAY);
            sum += weights[k];
        }
        double[] p = new double[ranks];
        double mean = sum / ranks;
        double top = clickRate * weights[0] / mean;
        double blend = top <= 1.0 ? 1.0 : (1.0 / clickRate - 1.0) / (weights[0] / mean - 1.0);
        for (int k = 0; k < ranks; k++) {
            p[k] = clickRate * (blend * weights[k] / mean + (1.0 - blend));
        }
        return p;
    }

    /** Price of an item in dollars, fixed by its id. */
    static double price(int item) {
        // Golden-ratio quantiles spread the prices of any run of ids (such as the most popular
        // items) over the whole distribution, so the average order value hardly depends on luck.
        double quantile = ((item + 1) * 0.6180339887498949) % 1.0;
        double z = inverseNormal(Math.min(1.0 - 1e-9, Math.max(1e-9, quantile)));
        return Math.max(0.5, Math.round(PRICE_MEDIAN * Math.exp(PRICE_SIGMA * z) * 100.0) / 100.0);
    }

    /** Category name of an item, fixed by its id. */
    String category(int item) {
        long hash = mix(item * 0xD1B54A32D192ED03L + 7);
        int c = (int) Math.floorMod(hash, (long) settings.categories());
        return c < CATEGORY_NAMES.length ? CATEGORY_NAMES[c] : "category-" + (c + 1);
    }

    // --- JSON ---

    private String render(Prediction p) {
        StringBuilder sb = start("prediction", p);
        sb.append(",\"user_segment\":").append(p.segment);
        sb.append(",\"model_version\":").append(p.modelVersion);
        sb.append(",\"latency_ms\":");
        if (p.fault == FAULT_WRONG_TYPE) {
            sb.append('"');
            appendFixed(sb, p.latencyMs, 1);
            sb.append("ms\"");
        } else {
            appendFixed(sb, p.latencyMs, 1);
        }
        if (p.errorType == null) {
            sb.append(",\"status\":\"ok\"");
        } else {
            sb.append(",\"status\":\"error\",\"error_type\":\"").append(p.errorType).append('"');
        }
        sb.append(",\"recommendations\":[");
        for (int k = 0; k < p.items.length; k++) {
            appendRecommendation(sb, k, p.items[k], p.scores[k]);
        }
        if (p.fault == FAULT_OUT_OF_CONTRACT) {
            SplittableRandom r = new SplittableRandom(p.faultSeed);
            int total = MAX_RECOMMENDATIONS + 1 + r.nextInt(50);
            for (int k = p.items.length; k < total; k++) {
                appendRecommendation(sb, k, r.nextInt(settings.catalogueSize()), 0.01);
            }
        }
        sb.append("],\"features\":{\"user_age\":").append(p.userAge);
        sb.append(",\"session_length_s\":");
        appendFixed(sb, p.sessionLengthS, 1);
        sb.append(",\"items_in_cart\":").append(p.itemsInCart);
        sb.append(",\"days_since_last_visit\":").append(p.daysSinceLastVisit);
        sb.append(",\"price_sensitivity\":");
        appendFixed(sb, p.priceSensitivity, 3);
        sb.append(",\"device\":\"").append(p.device).append('"');
        sb.append(",\"country\":\"").append(p.country).append('"');
        sb.append(",\"is_logged_in\":").append(p.loggedIn);
        sb.append(",\"referrer\":");
        if (p.referrer == null) {
            sb.append("null");
        } else {
            sb.append('"').append(p.referrer).append('"');
        }
        appendExtraFeatures(sb, p);
        sb.append("}}");
        return finish(sb, p);
    }

    /**
     * The {@code generator.extra-features} numerical features: feature i (from 1) is normal with
     * mean i and standard deviation 1 + i / 10, shifted by half a standard deviation under feature
     * drift. The values hash the seed, the request and the feature instead of drawing from the
     * request's random stream, so that they leave the rest of the traffic as it would have been.
     */
    private void appendExtraFeatures(StringBuilder sb, Prediction p) {
        for (int i = 1; i <= settings.extraFeatures(); i++) {
            long hash = mix(settings.seed() ^ mix(p.requestSeq * EXTRA_FEATURE_STRIDE + i));
            double sd = 1.0 + i / 10.0;
            double shift = (p.drifted ? 0.5 : 0.0) + numericShift(extraFeatureName(i), p.time);
            double value = i + sd * (inverseNormal(unit(hash)) + shift);
            sb.append(",\"").append(extraFeatureName(i)).append("\":");
            appendFixed(sb, value, 3);
        }
    }

    /** Name of the i-th extra feature (from 1): feature_01, feature_02, ... */
    static String extraFeatureName(int i) {
        return i < 10 ? "feature_0" + i : "feature_" + i;
    }

    private void appendRecommendation(StringBuilder sb, int k, int item, double score) {
        if (k > 0) {
            sb.append(',');
        }
        sb.append("{\"item_id\":\"item-").append(item).append("\",\"score\":");
        appendFixed(sb, Math.max(0.0001, score), 4);
        sb.append(",\"category\":\"").append(category(item)).append("\",\"price\":");
        appendFixed(sb, price(item), 2);
        sb.append('}');
    }

    private String render(Feedback f) {
        StringBuilder sb = start("feedback", f);
        boolean wrongType = f.fault == FAULT_WRONG_TYPE;
        if (wrongType && f.action != FeedbackAction.PURCHASE) {
            // A producer that batches items per event: an array where one id belongs.
            sb.append(",\"item_id\":[\"item-").append(f.item).append("\"]");
        } else {
            sb.append(",\"item_id\":\"item-").append(f.item).append('"');
        }
        sb.append(",\"action\":\"");
        if (f.fault == FAULT_OUT_OF_CONTRACT) {
            sb.append(UNKNOWN_ACTIONS[(int) Math.floorMod(f.faultSeed >>> 8, 4L)]);
        } else {
            sb.append(f.action.wireName());
        }
        sb.append('"');
        if (f.action == FeedbackAction.PURCHASE) {
            sb.append(",\"order_value\":");
            if (wrongType) {
                sb.append("\"$");
                appendFixed(sb, f.orderValue, 2);
                sb.append('"');
            } else {
                appendFixed(sb, f.orderValue, 2);
            }
            if (f.rating > 0) {
                sb.append(",\"rating\":").append(f.rating);
            }
        }
        sb.append('}');
        return finish(sb, f);
    }

    /** The fields every event starts with, in the shared buffer. */
    private StringBuilder start(String eventType, Pending p) {
        StringBuilder sb = out;
        sb.setLength(0);
        sb.append("{\"event_type\":\"").append(eventType).append('"');
        if (p.fault != FAULT_MISSING_REQUEST_ID) {
            sb.append(",\"request_id\":\"req-").append(p.requestSeq).append('"');
        }
        sb.append(",\"event_time\":");
        appendTime(sb, p.time);
        sb.append(",\"user_id\":\"u-").append(p.user).append('"');
        return sb;
    }

    private static String finish(StringBuilder sb, Pending p) {
        if (p.fault != FAULT_TRUNCATED) {
            return sb.toString();
        }
        // Any proper prefix of a JSON object is invalid: the closing brace is its last byte.
        int length = sb.length();
        int half = length / 2;
        int cut = half + (int) Math.floorMod(p.faultSeed >>> 16, (long) (length - half));
        return sb.substring(0, Math.min(cut, length - 1));
    }

    /** ISO-8601 UTC with milliseconds, quoted: "2026-01-01T00:00:01.250Z". */
    private void appendTime(StringBuilder sb, long epochMillis) {
        long day = Math.floorDiv(epochMillis, MS_PER_DAY);
        int ms = (int) Math.floorMod(epochMillis, MS_PER_DAY);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDayPrefix = LocalDate.ofEpochDay(day) + "T";
        }
        sb.append('"').append(cachedDayPrefix);
        appendPadded(sb, ms / 3_600_000, 2);
        sb.append(':');
        appendPadded(sb, ms / 60_000 % 60, 2);
        sb.append(':');
        appendPadded(sb, ms / 1000 % 60, 2);
        sb.append('.');
        appendPadded(sb, ms % 1000, 3);
        sb.append("Z\"");
    }

    private static void appendPadded(StringBuilder sb, int value, int digits) {
        if (digits == 3 && value < 100) {
            sb.append('0');
        }
        if (value < 10) {
            sb.append('0');
        }
        sb.append(value);
    }

    /** {@code value} with exactly {@code decimals} decimals, no exponent (valid JSON). */
    static void appendFixed(StringBuilder sb, double value, int decimals) {
        long scale = POW10[decimals];
        long scaled = Math.round(value * scale);
        if (scaled < 0) {
            sb.append('-');
            scaled = -scaled;
        }
        sb.append(scaled / scale);
        if (decimals > 0) {
            sb.append('.');
            long fraction = scaled % scale;
            for (long digit = scale / 10; digit > 1 && fraction < digit; digit /= 10) {
                sb.append('0');
            }
            sb.append(fraction);
        }
    }

    /** A JSON string literal, quotes included, for texts that come from configuration. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String[] quoteAll(List<String> texts) {
        return texts.stream().map(TrafficSimulator::quote).toArray(String[]::new);
    }

    // --- randomness ---

    private static int between(SplittableRandom r, int min, int max) {
        return min + r.nextInt(max - min + 1);
    }

    private static int pick(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** A standard normal draw (Box-Muller without a cached pair, so draws stay per request). */
    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * r.nextDouble());
    }

    /** The SplitMix64 finaliser: a well-mixed hash of a long. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A hash as a number in (0, 1). */
    private static double unit(long hash) {
        return ((hash >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** Quantile function of the standard normal distribution. */
    static double inverseNormal(double p) {
        return STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    // No random generator: only the quantile function is used, so none is created.
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    // --- scheduled events ---

    private abstract static class Pending {
        long time;
        long seq;
        long requestSeq;
        int user;
        int fault = NO_FAULT;
        long faultSeed;

        static int compare(Pending a, Pending b) {
            int byTime = Long.compare(a.time, b.time);
            return byTime != 0 ? byTime : Long.compare(a.seq, b.seq);
        }
    }

    private static final class Prediction extends Pending {
        String segment;
        String modelVersion;
        double latencyMs;
        String errorType;
        int[] items;
        double[] scores;
        int userAge;
        double sessionLengthS;
        int itemsInCart;
        int daysSinceLastVisit;
        double priceSensitivity;
        String device;
        String country;
        boolean loggedIn;
        String referrer;
        boolean drifted;
    }

    private static final class Feedback extends Pending {
        int item;
        FeedbackAction action;
        double orderValue;
        int rating;
    }
}
