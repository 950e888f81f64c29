package io.recsys.monitor.config;

import static io.recsys.monitor.config.ValueType.bool;
import static io.recsys.monitor.config.ValueType.choice;
import static io.recsys.monitor.config.ValueType.duration;
import static io.recsys.monitor.config.ValueType.hostAddress;
import static io.recsys.monitor.config.ValueType.instant;
import static io.recsys.monitor.config.ValueType.integer;
import static io.recsys.monitor.config.ValueType.list;
import static io.recsys.monitor.config.ValueType.longInteger;
import static io.recsys.monitor.config.ValueType.number;
import static io.recsys.monitor.config.ValueType.text;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key the job accepts, with its default. Defaults for thresholds and periods
 * come from the operations guide's KPI tables and alarm definitions (its "recommendation-low-ctr"
 * alarm: CTR below 2.0 for 3 periods of 3600 s).
 */
public final class Settings {
    private static final List<Setting<?>> ALL = new ArrayList<>();

    private Settings() {}

    private static <T> Setting<T> define(
            String key, ValueType<T> type, String defaultText, String description) {
        Setting<T> setting = new Setting<>(key, type, defaultText, description);
        ALL.add(setting);
        return setting;
    }

    // --- job ---
    public static final Setting<String> JOB_NAME =
            define("job.name", text(), "recsys-monitor", "name of the Flink job in the web UI");
    public static final Setting<Integer> PARALLELISM =
            define("job.parallelism", integer(1, 1024), "2", "default operator parallelism");
    public static final Setting<Duration> CHECKPOINT_INTERVAL =
            define(
                    "job.checkpoint-interval",
                    duration(Duration.ofSeconds(1)),
                    "10s",
                    "checkpoint interval of local runs (Managed Service for Apache Flink sets its"
                            + " own); the file outputs show lines when their checkpoint completes,"
                            + " so this is also their latency");
    public static final Setting<String> CHECKPOINT_DIR =
            define(
                    "job.checkpoint-dir",
                    text(),
                    "",
                    "directory of a local run's retained checkpoints (empty: checkpoints under the"
                            + " output directory)");
    public static final Setting<Duration> CHECKPOINT_TIMEOUT =
            define(
                    "job.checkpoint-timeout",
                    duration(Duration.ofSeconds(1)),
                    "2m",
                    "a local checkpoint that takes longer is abandoned and counts as failed");
    public static final Setting<Integer> TOLERABLE_CHECKPOINT_FAILURES =
            define(
                    "job.tolerable-checkpoint-failures",
                    integer(0, 1000),
                    "3",
                    "consecutive failed checkpoints a local run tolerates before it restarts");
    public static final Setting<String> STATE_BACKEND =
            define(
                    "job.state-backend",
                    choice("hashmap", "rocksdb"),
                    "hashmap",
                    "state backend of local runs: hashmap (state on the heap, full checkpoints to"
                            + " files) or rocksdb (state on disk, incremental checkpoints; what"
                            + " Managed Service for Apache Flink runs)");
    public static final Setting<Integer> RESTART_ATTEMPTS =
            define(
                    "job.restart-attempts",
                    integer(0, 1000),
                    "5",
                    "restarts of a failed local run (exponential delay) before it ends with exit"
                            + " status 1");
    public static final Setting<Duration> RESTART_MAX_DELAY =
            define(
                    "job.restart-max-delay",
                    duration(Duration.ofSeconds(1)),
                    "30s",
                    "longest wait between two restarts of a local run (the first waits 1 s)");
    public static final Setting<String> WEB_UI =
            define(
                    "job.web-ui",
                    choice("auto", "true", "false"),
                    "auto",
                    "whether a local run serves the web UI (auto: live runs do, bounded replays"
                            + " only when job.web-ui-port is set)");
    public static final Setting<Integer> WEB_UI_PORT =
            define(
                    "job.web-ui-port",
                    integer(0, 65535),
                    "8081",
                    "port of the local Flink web UI (0 picks a free one)");
    public static final Setting<String> BIND_ADDRESS =
            define(
                    "job.bind-address",
                    hostAddress(),
                    "127.0.0.1",
                    "address the local web UI listens on; 0.0.0.0 opens it to the network"
                            + " (docs/deploy.md, Security); the local cluster's own ports always"
                            + " listen on 127.0.0.1");
    public static final Setting<Boolean> WEB_SUBMIT =
            define(
                    "job.web-submit",
                    bool(),
                    "false",
                    "let the local web UI and REST API upload and run jars: whoever reaches the"
                            + " port can then run code in the monitoring process");
    public static final Setting<Boolean> WEB_CANCEL =
            define(
                    "job.web-cancel",
                    bool(),
                    "false",
                    "let the local web UI and REST API cancel the job");
    public static final Setting<Boolean> DASHBOARD_ENABLED =
            define(
                    "dashboard.enabled",
                    bool(),
                    "true",
                    "serve the dashboard of the outputs (KPIs, alerts, drift) beside the local web"
                            + " UI, and write report.html at the end of a bounded replay");
    public static final Setting<Integer> DASHBOARD_PORT =
            define(
                    "dashboard.port",
                    integer(0, 65535),
                    "8082",
                    "port of the local dashboard, on job.bind-address (unset: the web UI's port"
                            + " + 1; 0 picks a free one)");

    // --- source ---
    public static final Setting<String> SOURCE_TYPE =
            define(
                    "source.type",
                    choice("generator", "file", "kinesis"),
                    "generator",
                    "where events come from");
    public static final Setting<String> SOURCE_INPUT =
            define(
                    "source.input",
                    text(),
                    "",
                    "JSON-lines file or directory read by the file source");
    public static final Setting<Boolean> SOURCE_FOLLOW =
            define(
                    "source.follow",
                    bool(),
                    "false",
                    "keep watching the input directory for new files instead of ending");
    public static final Setting<String> SOURCE_LIVE =
            define(
                    "source.live",
                    choice("auto", "true", "false"),
                    "auto",
                    "whether event time follows the wall clock, as it does for events arriving as"
                            + " they happen (auto: kinesis, or a followed directory); turns on"
                            + " EventLagSeconds and the alarms' wall-clock fallback");
    public static final Setting<Duration> SOURCE_MONITOR_INTERVAL =
            define(
                    "source.monitor-interval",
                    duration(Duration.ofMillis(100)),
                    "10s",
                    "how often a followed directory is scanned for new files");

    // --- AWS (Kinesis source, CloudWatch and SNS sinks) ---
    public static final Setting<String> AWS_REGION =
            define(
                    "aws.region",
                    text(),
                    "",
                    "AWS region of the streams, metrics and topics (empty: the SDK's default region"
                            + " chain, e.g. AWS_REGION)");
    public static final Setting<String> AWS_ENDPOINT =
            define(
                    "aws.endpoint",
                    text(),
                    "",
                    "endpoint override for every AWS service, e.g. a local emulator"
                            + " http://127.0.0.1:5000 (empty: the real AWS endpoints)");
    public static final Setting<String> AWS_CREDENTIALS =
            define(
                    "aws.credentials",
                    choice("default", "emulator"),
                    "default",
                    "default: the AWS default credentials chain (environment, profile, instance"
                            + " or task role); emulator: fixed dummy keys for a local emulator");

    // --- Kinesis source ---
    public static final Setting<String> KINESIS_STREAM =
            define(
                    "kinesis.stream",
                    text(),
                    "",
                    "Kinesis stream of prediction events (and of feedback when"
                            + " kinesis.feedback-stream is empty)");
    public static final Setting<String> KINESIS_FEEDBACK_STREAM =
            define(
                    "kinesis.feedback-stream",
                    text(),
                    "",
                    "Kinesis stream of feedback events (empty: feedback shares kinesis.stream)");
    public static final Setting<String> KINESIS_INITIAL_POSITION =
            define(
                    "kinesis.initial-position",
                    choice("latest", "trim_horizon", "at_timestamp"),
                    "latest",
                    "where a job without a checkpoint starts reading");
    public static final Setting<String> KINESIS_INITIAL_TIMESTAMP =
            define(
                    "kinesis.initial-timestamp",
                    text(),
                    "",
                    "ISO-8601 start time for kinesis.initial-position=at_timestamp");
    public static final Setting<String> KINESIS_CONSUMER =
            define(
                    "kinesis.consumer",
                    choice("polling"),
                    "polling",
                    "shared-throughput polling (GetRecords); enhanced fan-out (efo) is refused by"
                            + " this build (docs/deploy.md)");
    public static final Setting<Duration> KINESIS_IDLE_SHARD_TIMEOUT =
            define(
                    "kinesis.idle-shard-timeout",
                    duration(Duration.ZERO),
                    "1min",
                    "a shard without records this long stops holding back event time (0s: never)");
    public static final Setting<Duration> KINESIS_WARM_UP =
            define(
                    "kinesis.warm-up",
                    duration(Duration.ZERO),
                    "30s",
                    "event time is held back this long after the source starts, so that a shard"
                            + " whose reader starts late is not overtaken by the others (0s: not"
                            + " at all)");
    public static final Setting<Boolean> KINESIS_EMULATOR =
            define(
                    "kinesis.emulator",
                    bool(),
                    "false",
                    "reading from a local Kinesis emulator: turns CBOR off, which emulators need and"
                            + " real Kinesis must never get");

    // --- event time ---
    public static final Setting<Duration> WATERMARK_OUT_OF_ORDERNESS =
            define(
                    "watermark.out-of-orderness",
                    duration(Duration.ZERO),
                    "30s",
                    "how far behind the newest event time an event may arrive and still count");
    public static final Setting<Duration> WATERMARK_IDLENESS =
            define(
                    "watermark.idleness",
                    duration(Duration.ZERO),
                    "1min",
                    "after this long without events a source split stops holding back event time (0s: never)");

    // --- event contract limits ---
    public static final Setting<Integer> MAX_EVENT_BYTES =
            define(
                    "events.max-bytes",
                    integer(256, 16 * 1024 * 1024),
                    "65536",
                    "largest accepted event, in UTF-8 bytes");
    public static final Setting<Integer> MAX_RECOMMENDATIONS =
            define(
                    "events.max-recommendations",
                    integer(1, 10_000),
                    "100",
                    "most recommendations accepted in one prediction event");
    public static final Setting<Integer> MAX_FEATURES =
            define(
                    "events.max-features",
                    integer(0, 10_000),
                    "200",
                    "most features accepted in one prediction event");
    public static final Setting<Duration> MAX_FUTURE_SKEW =
            define(
                    "events.max-future-skew",
                    duration(Duration.ZERO),
                    "5min",
                    "how far ahead of the wall clock (live sources) or of the stream's newest"
                            + " accepted event time (replays) an event_time may be before the event"
                            + " is held and, unless later events confirm it, dead-lettered as"
                            + " time_out_of_range; it never moves the watermark (0s: no guard)");
    public static final Setting<Integer> MAX_DIMENSION_CHARS =
            define(
                    "events.max-dimension-chars",
                    // CloudWatch allows dimension values of up to 1024 characters.
                    integer(1, 1024),
                    "128",
                    "longest value accepted for a field that becomes a metric dimension or"
                            + " console text (model_version, user_segment, error_type, feature"
                            + " names and categorical values)");
    public static final Setting<Integer> DEAD_LETTER_MAX_RAW_CHARS =
            define(
                    "dead-letter.max-raw-chars",
                    integer(64, 1024 * 1024),
                    "4096",
                    "raw text of a rejected event kept in its dead-letter record");

    public static final Setting<String> DEAD_LETTER_DESTINATION =
            define(
                    "dead-letter.destination",
                    choice("log", "sqs", "kinesis"),
                    "log",
                    "where dead letters go with sinks.type=aws, besides a rate-limited log line:"
                            + " log (only the log line, no raw text kept), sqs (an SQS queue,"
                            + " dead-letter.sqs-queue-url) or kinesis (a Kinesis stream,"
                            + " dead-letter.kinesis-stream); the raw text may hold user ids");
    public static final Setting<String> DEAD_LETTER_SQS_QUEUE_URL =
            define(
                    "dead-letter.sqs-queue-url",
                    text(),
                    "",
                    "URL of the SQS queue of dead-letter.destination=sqs, e.g."
                            + " https://sqs.us-east-1.amazonaws.com/123456789012/recsys-dead-letters");
    public static final Setting<String> DEAD_LETTER_KINESIS_STREAM =
            define(
                    "dead-letter.kinesis-stream",
                    text(),
                    "",
                    "name of the Kinesis stream of dead-letter.destination=kinesis, e.g."
                            + " recsys-dead-letters");

    // --- metrics ---
    public static final Setting<String> METRIC_NAMESPACE =
            define(
                    "metrics.namespace",
                    text(),
                    "RecommendationSystem",
                    "namespace of every metric point");
    public static final Setting<Duration> ML_METRIC_PERIOD =
            define(
                    "metrics.ml-period",
                    duration(Duration.ofSeconds(1)),
                    "3600s",
                    "tumbling window of the ML metrics (CTR, ConversionRate, AverageOrderValue)");
    public static final Setting<String> CTR_DENOMINATOR =
            define(
                    "metrics.ctr-denominator",
                    choice("impressions", "recommended-items"),
                    "impressions",
                    "CTR divides clicks by impression events, or by recommended items served when"
                            + " the stream carries no impressions");
    public static final Setting<Long> CATALOGUE_SIZE =
            define(
                    "metrics.catalogue-size",
                    longInteger(0, 1_000_000_000_000L),
                    "0",
                    "items in the catalogue, the denominator of CoveragePercentage (0: unknown, no"
                            + " coverage metric; the synthetic generator's catalogue has 5000)");
    public static final Setting<Duration> RECOMMENDATION_ALLOWED_LATENESS =
            define(
                    "metrics.recommendation-allowed-lateness",
                    duration(Duration.ofSeconds(1)),
                    "10min",
                    "how long a fired recommendation-quality window (CoveragePercentage,"
                            + " DiversityScore, PopularityGini, Novelty) still takes late predictions"
                            + " and emits its corrected value; later predictions are not counted");
    public static final Setting<String> RELEVANCE =
            define(
                    "metrics.relevance",
                    choice("click", "purchase"),
                    "click",
                    "which feedback makes a recommended item relevant for PrecisionAt10, RecallAt10,"
                            + " NDCGAt10 and MRR: click (a click, add to cart or purchase) or purchase");
    public static final Setting<Duration> ATTRIBUTION_WINDOW =
            define(
                    "attribution.window",
                    duration(Duration.ofSeconds(1)),
                    "30min",
                    "event time during which feedback is attributed to its prediction by request_id;"
                            + " also how long a fired engagement window still takes late feedback");

    // --- service health and data quality ---
    public static final Setting<Duration> HEALTH_PERIOD =
            define(
                    "metrics.health-period",
                    duration(Duration.ofSeconds(1)),
                    "60s",
                    "tumbling window of the service health metrics (latency percentiles, ErrorRate,"
                            + " Errors, RequestsPerSecond, Availability); the guide's API metrics"
                            + " and alarms use 60 s");
    public static final Setting<Duration> HEALTH_ALLOWED_LATENESS =
            define(
                    "metrics.health-allowed-lateness",
                    duration(Duration.ofSeconds(1)),
                    "10min",
                    "how long a fired service health window still takes late responses and emits"
                            + " its corrected value (10 min covers the disorder of a Kinesis"
                            + " resharding or a producer retry); later responses are counted in"
                            + " LateResponses");
    public static final Setting<Integer> MAX_ERROR_TYPES =
            define(
                    "metrics.max-error-types",
                    integer(1, 1000),
                    "20",
                    "distinct error_type values counted per window and slice; further types are"
                            + " folded into \"other\"");
    public static final Setting<Integer> AVAILABILITY_SPAN =
            define(
                    "metrics.availability-span",
                    integer(1, 10_080),
                    "60",
                    "health windows over which Availability is the share of windows with traffic"
                            + " and an error rate under metrics.availability-error-threshold");
    public static final Setting<Double> AVAILABILITY_ERROR_THRESHOLD =
            define(
                    "metrics.availability-error-threshold",
                    number(0, 100),
                    "5.0",
                    "error rate in percent at or above which a health window counts as unavailable"
                            + " (the guide's critical error rate)");
    public static final Setting<Double> AVAILABILITY_CONFIDENCE =
            define(
                    "metrics.availability-confidence",
                    number(0, 0.9999),
                    "0.95",
                    "confidence with which a health window's error rate must be shown at or above"
                            + " metrics.availability-error-threshold (lower bound of its Wilson"
                            + " interval) to count as unavailable, so that a few errors among a"
                            + " minute's few requests are no outage; 0 judges by the value");
    public static final Setting<Duration> DATA_QUALITY_PERIOD =
            define(
                    "metrics.data-quality-period",
                    duration(Duration.ofSeconds(1)),
                    "3600s",
                    "tumbling window of the data quality metrics (completeness, validity, invalid"
                            + " events, volume); the guide's data quality checks run hourly");
    public static final Setting<Duration> DATA_QUALITY_ALLOWED_LATENESS =
            define(
                    "metrics.data-quality-allowed-lateness",
                    duration(Duration.ofSeconds(1)),
                    "10min",
                    "how long a fired data quality window still takes late events and emits its"
                            + " corrected value; later events are not counted");
    public static final Setting<Duration> FRESHNESS_INTERVAL =
            define(
                    "metrics.freshness-interval",
                    duration(Duration.ofSeconds(1)),
                    "60s",
                    "processing time between two EventLagSeconds points per stream; a silent stream"
                            + " still gets them");
    public static final Setting<Long> MIN_EVENTS_PER_WINDOW =
            define(
                    "data-quality.min-events-per-window",
                    longInteger(0, Long.MAX_VALUE),
                    "1000",
                    "fewest events per stream and data quality window before EventVolume is too"
                            + " low (the guide's expected_min_rows), for the alarm on EventVolume");

    // --- dimension cardinality (what keys windows, drift and alarms) ---
    public static final Setting<Integer> MAX_MODEL_VERSIONS =
            define(
                    "dimensions.max-model-versions",
                    integer(1, 10_000),
                    "50",
                    "distinct model_version values each source subtask keeps as they are; further"
                            + " values are folded into \"other\" before any window, drift or alarm"
                            + " sees them (at most job parallelism x this many across the job)");
    public static final Setting<Integer> MAX_SEGMENTS =
            define(
                    "dimensions.max-segments",
                    integer(1, 10_000),
                    "50",
                    "distinct user_segment values each source subtask keeps as they are; further"
                            + " values are folded into \"other\" (at most job parallelism x this"
                            + " many across the job)");
    public static final Setting<Integer> MAX_FEATURE_NAMES =
            define(
                    "dimensions.max-feature-names",
                    integer(1, 100_000),
                    "1000",
                    "distinct feature names each source subtask keeps; a feature with a further"
                            + " name is dropped from its event and counted, so that the names"
                            + " reaching FeatureMissingRate, drift and alarm series stay bounded"
                            + " across windows (events.max-features bounds one event)");
    public static final Setting<Duration> DIMENSION_IDLE_RELEASE =
            define(
                    "dimensions.idle-release",
                    duration(Duration.ZERO),
                    "0s",
                    "event time after which a kept model_version, user_segment or feature name not"
                            + " seen since"
                            + " gives its place to a new value once the cap is reached (0s: never)."
                            + " Lets a long-running job follow new model versions, but the alarm"
                            + " engine keeps the state of every series it has seen, so each released"
                            + " value leaves its alarm series behind");

    // --- the alarm engine (docs/operations.md) ---
    public static final Setting<String> ALARMS =
            define(
                    "alarms",
                    text(),
                    "",
                    "alarm definitions merged by name into the defaults (a YAML list under alarms: in a"
                            + " configuration file, or the same list as JSON); see docs/operations.md");
    public static final Setting<String> ALARM_INHIBITIONS =
            define(
                    "alarm-inhibitions",
                    text(),
                    "",
                    "inhibition rules merged by name into the defaults (a YAML list, or JSON); see"
                            + " docs/operations.md");
    public static final Setting<Duration> ALARM_WALL_CLOCK_GRACE =
            define(
                    "alarm-wall-clock-grace",
                    duration(Duration.ofMinutes(1)),
                    "15m",
                    "live sources: how long after a period's end by the wall clock it is evaluated"
                            + " when event time has stalled (a full outage stops the watermark)");
    public static final Setting<Duration> ALARM_REPEAT_INTERVAL =
            define(
                    "alarm-repeat-interval",
                    duration(Duration.ofMinutes(1)),
                    "4h",
                    "event time after which a still-firing critical alarm alerts again");

    // --- the low-CTR alarm (operations guide: recommendation-low-ctr); overrides of the
    // recommendation-low-ctr entry of the alarm definitions, applied when set ---
    public static final Setting<Double> LOW_CTR_WARNING =
            define(
                    "alarms.low-ctr.warning-threshold",
                    number(0, 100),
                    "2.5",
                    "CTR in percent below which the low-CTR alarm is at warning");
    public static final Setting<Double> LOW_CTR_CRITICAL =
            define(
                    "alarms.low-ctr.critical-threshold",
                    number(0, 100),
                    "2.0",
                    "CTR in percent below which the low-CTR alarm is critical");
    public static final Setting<Integer> LOW_CTR_EVALUATION_PERIODS =
            define(
                    "alarms.low-ctr.evaluation-periods",
                    integer(1, 1000),
                    "3",
                    "consecutive periods the low-CTR alarm looks at");
    public static final Setting<Integer> LOW_CTR_DATAPOINTS_TO_ALARM =
            define(
                    "alarms.low-ctr.datapoints-to-alarm",
                    integer(1, 1000),
                    "3",
                    "breaching periods among the evaluated ones that raise the alarm");

    // --- drift against the reference profile ---
    public static final Setting<String> DRIFT_REFERENCE =
            define(
                    "drift.reference",
                    text(),
                    "",
                    "reference profile file, or a directory of them that the job watches for new"
                            + " files (docs/reference-profile.md; empty: every window reports"
                            + " no-reference)");
    public static final Setting<Duration> DRIFT_REFERENCE_MONITOR_INTERVAL =
            define(
                    "drift.reference-monitor-interval",
                    duration(Duration.ofMillis(100)),
                    "30s",
                    "how often a reference directory is scanned for new files (unbounded runs)");
    public static final Setting<Duration> DRIFT_WINDOW =
            define(
                    "drift.window",
                    duration(Duration.ofSeconds(1)),
                    "1h",
                    "sliding window compared with the reference (a multiple of drift.slide)");
    public static final Setting<Duration> DRIFT_SLIDE =
            define(
                    "drift.slide",
                    duration(Duration.ofSeconds(1)),
                    "5min",
                    "how often the drift window slides and reports");
    public static final Setting<Double> DRIFT_ALPHA =
            define(
                    "drift.alpha",
                    number(1e-12, 0.5),
                    "0.05",
                    "significance level of the guide's gate behind the DriftedFeatureShare metric"
                            + " (full window; the drifted flags follow drift.false-alarms-per-day)");
    public static final Setting<Double> DRIFT_MIN_EFFECT_SIZE =
            define(
                    "drift.min-effect-size",
                    number(0, 1),
                    "0.1",
                    "smallest KS D or Cramer's V of the guide's gate behind the"
                            + " DriftedFeatureShare metric (the drifted flags follow"
                            + " drift.min-distance)");
    public static final Setting<Double> DRIFT_FALSE_ALARMS_PER_DAY =
            define(
                    "drift.false-alarms-per-day",
                    number(1e-9, 1000),
                    "0.01",
                    "bound on the drifted flags a model version raises per day on clean traffic:"
                            + " each test of each window is flagged at p below this divided by the"
                            + " tests a day (evaluations x windows x features and scores)");
    public static final Setting<Double> DRIFT_MIN_DISTANCE =
            define(
                    "drift.min-distance",
                    number(0, 1),
                    "0.03",
                    "smallest KS D, or total variation distance of the category shares, that a"
                            + " drifted flag needs, whatever the p-value (sample sizes do not"
                            + " change it)");
    public static final Setting<List<String>> DRIFT_RECENT_WINDOWS =
            define(
                    "drift.recent-windows",
                    list(),
                    "15min,30min",
                    "windows of the most recent panes on which drift is decided as well as on"
                            + " drift.window (multiples of drift.slide, shorter than the window;"
                            + " empty: the full window alone)");
    public static final Setting<Integer> DRIFT_MAX_CATEGORIES =
            define(
                    "drift.max-categories",
                    integer(2, 100_000),
                    "1000",
                    "distinct categories counted per feature and pane; further ones count as"
                            + " __other__");
    public static final Setting<Integer> DRIFT_EXACT_VALUES =
            define(
                    "drift.exact-values",
                    integer(2, 1_000_000),
                    "4096",
                    "values of each numerical feature and of the top score kept exactly per model"
                            + " version and pane (16 bytes each), so that KS D and its p-value are"
                            + " exact; beyond, a deterministic sample of that many");
    public static final Setting<List<String>> DRIFT_CATEGORICAL_FEATURES =
            define(
                    "drift.categorical-features",
                    list(),
                    "",
                    "features read as categories even when they are JSON numbers (reference"
                            + " build; the job follows the reference)");
    public static final Setting<List<String>> DRIFT_NUMERICAL_FEATURES =
            define(
                    "drift.numerical-features",
                    list(),
                    "",
                    "features read as numbers even when they are JSON strings (reference build)");

    // --- local outputs ---
    public static final Setting<String> OUTPUT_DIR =
            define(
                    "output.dir",
                    text(),
                    "output",
                    "directory of metrics.jsonl, alerts.jsonl and dead-letter.jsonl");
    public static final Setting<Boolean> CONSOLE_ALERTS =
            define(
                    "output.console-alerts",
                    bool(),
                    "true",
                    "print one human-readable line per alert on the console");

    // --- where results go ---
    public static final Setting<String> SINKS_TYPE =
            define(
                    "sinks.type",
                    choice("local", "aws"),
                    "local",
                    "local: JSON-lines files and the console; aws: CloudWatch metrics and SNS alerts");

    // --- CloudWatch sink ---
    public static final Setting<String> CLOUDWATCH_STORAGE_RESOLUTION =
            define(
                    "cloudwatch.storage-resolution",
                    choice("60", "1"),
                    "60",
                    "seconds: 60 (standard) or 1 (high resolution, billed as custom high-resolution"
                            + " metrics)");
    public static final Setting<List<String>> CLOUDWATCH_DIMENSIONS =
            define(
                    "cloudwatch.dimensions",
                    list(),
                    "ModelVersion,UserSegment,Rank,ErrorType,Feature,Field,Rule,Stream,Dimension",
                    "the only dimension names sent to CloudWatch; others are dropped from a datum");
    public static final Setting<Integer> CLOUDWATCH_MAX_DIMENSION_VALUES =
            define(
                    "cloudwatch.max-dimension-values",
                    integer(1, 100_000),
                    "100",
                    "distinct values per dimension and metric sent as they are; further values are"
                            + " folded into \"other\"");
    public static final Setting<String> CLOUDWATCH_INVALID_DATA =
            define(
                    "cloudwatch.invalid-data",
                    choice("fail", "drop"),
                    "drop",
                    "what a datum CloudWatch rejects as invalid does: fail the job, or drop it"
                            + " with a dead-letter record and a counter");
    public static final Setting<Integer> CLOUDWATCH_MAX_BATCH_SIZE =
            define(
                    "cloudwatch.max-batch-size",
                    integer(1, 1000),
                    "1000",
                    "metric datums per PutMetricData request (the service allows 1000)");
    public static final Setting<Duration> CLOUDWATCH_MAX_TIME_IN_BUFFER =
            define(
                    "cloudwatch.max-time-in-buffer",
                    duration(Duration.ofMillis(10)),
                    "5s",
                    "longest a metric point waits for a fuller request");

    // --- SNS sink ---
    public static final Setting<String> SNS_CRITICAL_TOPIC_ARN =
            define(
                    "sns.critical-topic-arn",
                    text(),
                    "",
                    "topic of critical alerts (route critical)");
    public static final Setting<String> SNS_WARNING_TOPIC_ARN =
            define("sns.warning-topic-arn", text(), "", "topic of warning alerts (route warning)");
    public static final Setting<String> SNS_ML_TOPIC_ARN =
            define(
                    "sns.ml-topic-arn",
                    text(),
                    "",
                    "topic of model alerts: CTR, drift, retraining (route ml)");
    public static final Setting<Duration> SNS_MAX_TIME_IN_BUFFER =
            define(
                    "sns.max-time-in-buffer",
                    duration(Duration.ofMillis(10)),
                    "1s",
                    "longest an alert waits for a fuller PublishBatch request");

    // --- synthetic generator ---
    public static final Setting<Long> GENERATOR_SEED =
            define(
                    "generator.seed",
                    longInteger(Long.MIN_VALUE, Long.MAX_VALUE),
                    "42",
                    "seed of the synthetic traffic");
    public static final Setting<Double> GENERATOR_EVENTS_PER_SECOND =
            define(
                    "generator.events-per-second",
                    number(0.001, 10_000_000),
                    "1000",
                    "events emitted per second of wall-clock time");
    public static final Setting<Double> GENERATOR_REQUESTS_PER_SECOND =
            define(
                    "generator.requests-per-second",
                    number(0.001, 1_000_000),
                    "1",
                    "recommendation requests per second of event time");
    public static final Setting<Instant> GENERATOR_START_TIME =
            define(
                    "generator.start-time",
                    instant(),
                    "2026-01-01T00:00:00Z",
                    "event time of the first generated request (now: the start of the run; CloudWatch"
                            + " takes datapoints at most two weeks old)");
    public static final Setting<Long> GENERATOR_MAX_EVENTS =
            define(
                    "generator.max-events",
                    longInteger(0, Long.MAX_VALUE),
                    "0",
                    "stop after this many events (0: run until cancelled)");
    public static final Setting<List<String>> GENERATOR_MODEL_VERSIONS =
            define(
                    "generator.model-versions",
                    list(),
                    "v1,v2",
                    "model versions that serve traffic, in equal shares");
    public static final Setting<List<String>> GENERATOR_SEGMENTS =
            define(
                    "generator.segments",
                    list(),
                    "new,returning,premium",
                    "user segments, in equal shares");
    public static final Setting<Integer> GENERATOR_CATALOGUE_SIZE =
            define(
                    "generator.catalogue-size",
                    integer(10, 10_000_000),
                    "5000",
                    "items in the synthetic catalogue");
    public static final Setting<Integer> GENERATOR_CATEGORIES =
            define(
                    "generator.categories",
                    integer(1, 10_000),
                    "20",
                    "item categories in the synthetic catalogue");
    public static final Setting<Integer> GENERATOR_RECOMMENDATIONS =
            define(
                    "generator.recommendations-per-response",
                    integer(1, 100),
                    "10",
                    "items recommended per response");
    public static final Setting<Integer> GENERATOR_EXTRA_FEATURES =
            define(
                    "generator.extra-features",
                    integer(0, 100),
                    "0",
                    "numerical features added to each prediction beyond the nine of the contract's"
                            + " example (feature_01, feature_02, ...), e.g. 11 for the 20 features"
                            + " of the bench");
    public static final Setting<Double> GENERATOR_IMPRESSION_RATE =
            define(
                    "generator.impression-rate",
                    number(0, 1),
                    "0.8",
                    "share of recommended items that get an impression event");
    public static final Setting<Double> GENERATOR_CLICK_RATE =
            define(
                    "generator.click-rate",
                    number(0, 1),
                    "0.035",
                    "share of impressions that are clicked");
    public static final Setting<Double> GENERATOR_ADD_TO_CART_RATE =
            define(
                    "generator.add-to-cart-rate",
                    number(0, 1),
                    "0.1",
                    "share of clicks that add the item to the cart");
    public static final Setting<Double> GENERATOR_PURCHASE_RATE =
            define(
                    "generator.purchase-rate",
                    number(0, 1),
                    "0.2",
                    "share of add-to-carts that end in a purchase");
    public static final Setting<String> GENERATOR_TRAFFIC_CYCLES =
            define(
                    "generator.traffic-cycles",
                    choice("flat", "daily-weekly"),
                    "daily-weekly",
                    "daily-weekly: request volume, click-through, conversion and order value follow"
                            + " a daily cycle (peak at 18:00 UTC, trough at 06:00) and dip at"
                            + " weekends, by the generator.*-amplitude settings, as production"
                            + " traffic does; flat: the same rates at every hour (for figures that"
                            + " must not depend on the hour)");
    public static final Setting<Double> GENERATOR_DAILY_VOLUME_AMPLITUDE =
            define(
                    "generator.daily-volume-amplitude",
                    number(0, 0.95),
                    "0.3",
                    "daily-weekly cycles: requests per second vary by this share of their mean"
                            + " over the day");
    public static final Setting<Double> GENERATOR_DAILY_CLICK_AMPLITUDE =
            define(
                    "generator.daily-click-amplitude",
                    number(0, 0.95),
                    "0.15",
                    "daily-weekly cycles: the click rate varies by this share over the day");
    public static final Setting<Double> GENERATOR_DAILY_PURCHASE_AMPLITUDE =
            define(
                    "generator.daily-purchase-amplitude",
                    number(0, 0.95),
                    "0.1",
                    "daily-weekly cycles: the purchase rate varies by this share over the day");
    public static final Setting<Double> GENERATOR_DAILY_ORDER_VALUE_AMPLITUDE =
            define(
                    "generator.daily-order-value-amplitude",
                    number(0, 0.95),
                    "0.05",
                    "daily-weekly cycles: order values vary by this share over the day");
    public static final Setting<Double> GENERATOR_WEEKEND_AMPLITUDE =
            define(
                    "generator.weekend-amplitude",
                    number(0, 0.95),
                    "0.1",
                    "daily-weekly cycles: on Saturdays and Sundays (UTC) requests are this share"
                            + " fewer, clicks and purchases half this share rarer");
    public static final Setting<Double> GENERATOR_MALFORMED_SHARE =
            define(
                    "generator.malformed-share",
                    number(0, 1),
                    "0",
                    "share of emitted events that are malformed from the start");
    public static final Setting<List<String>> GENERATOR_SCENARIOS =
            define(
                    "generator.scenarios",
                    list(),
                    "",
                    "scenarios as NAME[@START[/END]] (event times): feature-drift, ctr-drop, latency-spike,"
                            + " error-burst, malformed-events, or shifts of a given size:"
                            + " shift:numeric=user_age:+0.3sd, shift:category=device:5pt,"
                            + " shift:new-category=device:5%, shift:score=-1sd");

    /** Every key, in definition order. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** Every key by name. */
    public static Map<String, Setting<?>> byKey() {
        Map<String, Setting<?>> map = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            map.put(s.key(), s);
        }
        return map;
    }
}
