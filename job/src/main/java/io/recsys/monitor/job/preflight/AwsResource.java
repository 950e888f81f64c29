package io.recsys.monitor.job.preflight;

import java.util.Objects;

/**
 * One AWS resource the configuration names and the job cannot run without: what it is, its name as
 * the configuration gives it, and the configuration key that names it, so that a failure can say
 * which key to correct.
 */
public final class AwsResource {

    /**
     * The kinds of resource the pre-flight check knows, each with the read-only call that proves it
     * exists and may be used, and the IAM action that call needs. The dead-letter destination adds
     * its own kind here (an SQS queue: {@code sqs:GetQueueAttributes}; a Kinesis stream is already
     * one) together with a probe in {@link AwsPreflight}.
     */
    public enum Kind {
        KINESIS_STREAM("Kinesis stream", "Kinesis", "kinesis:DescribeStreamSummary"),
        SNS_TOPIC("SNS topic", "SNS", "sns:GetTopicAttributes");

        private final String noun;
        private final String service;
        private final String iamAction;

        Kind(String noun, String service, String iamAction) {
            this.noun = noun;
            this.service = service;
            this.iamAction = iamAction;
        }

        /** How a message names a resource of this kind, e.g. "Kinesis stream". */
        public String noun() {
            return noun;
        }

        /** The service that holds it, e.g. "Kinesis". */
        public String service() {
            return service;
        }

        /** The IAM action the check calls, which the job's role must allow. */
        public String iamAction() {
            return iamAction;
        }
    }

    private final Kind kind;
    private final String name;
    private final String configKey;

    public AwsResource(Kind kind, String name, String configKey) {
        this.kind = Objects.requireNonNull(kind);
        this.name = Objects.requireNonNull(name);
        this.configKey = Objects.requireNonNull(configKey);
    }

    public Kind kind() {
        return kind;
    }

    /** The stream's name, the topic's ARN. */
    public String name() {
        return name;
    }

    /** The configuration key that names it, e.g. {@code kinesis.stream}. */
    public String configKey() {
        return configKey;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AwsResource)) {
            return false;
        }
        AwsResource other = (AwsResource) o;
        return kind == other.kind && name.equals(other.name) && configKey.equals(other.configKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, configKey);
    }

    @Override
    public String toString() {
        return describe();
    }

    /** E.g. {@code Kinesis stream 'recsys-predictions' (kinesis.stream)}. */
    public String describe() {
        return kind.noun() + " '" + name + "' (" + configKey + ")";
    }
}
