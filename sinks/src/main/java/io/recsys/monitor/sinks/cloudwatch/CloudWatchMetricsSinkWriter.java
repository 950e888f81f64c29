package io.recsys.monitor.sinks.cloudwatch;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.aws.AwsFailure;
import io.recsys.monitor.sinks.aws.AwsSinkWriter;
import io.recsys.monitor.sinks.aws.RetryBound;
import io.recsys.monitor.sinks.aws.SinkDeadLetters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

/**
 * Sends buffered datums to CloudWatch, one PutMetricData per namespace of a batch.
 *
 * <p>Before sending, each datum is checked against {@link CloudWatchLimits}: one bad datum would
 * make CloudWatch reject its whole request. A request that fails goes through the {@link
 * CloudWatchErrorClassifier#fatalErrors} chain: access errors fail the job naming the namespace;
 * invalid data fails the job or, under {@link InvalidDataPolicy#DROP}, is isolated by sending the
 * request's halves again until the refused datums stand alone, and those are dead-lettered; any
 * other error that is not transient fails the job. Transient ones put their datums back into the
 * buffer (datums of the batch's other, successful requests are done).
 *
 * <p>Counters are incremented on SDK threads, hence thread-safe counters.
 */
class CloudWatchMetricsSinkWriter
        extends AwsSinkWriter<MetricPoint, MetricDatumEntry, CloudWatchAsyncClient> {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchMetricsSinkWriter.class);

    static final String DATUMS_SENT = "cloudwatchDatumsSent";
    static final String REQUESTS_FAILED = "cloudwatchRequestsFailed";
    static final String DATUMS_REJECTED = "cloudwatchDatumsRejected";

    private final InvalidDataPolicy invalidDataPolicy;
    private final RetryBound retryBound;
    private final SinkDeadLetters deadLetters;
    private final long maxRecordSizeInBytes;
    private final LongSupplier clock;
    private final Counter datumsSent;
    private final Counter requestsFailed;
    private final Counter datumsRejected;

    CloudWatchMetricsSinkWriter(
            CloudWatchMetricsSink sink,
            WriterInitContext context,
            Collection<BufferedRequestState<MetricDatumEntry>> states,
            CloudWatchClientProvider clientProvider,
            SinkDeadLetters deadLetters,
            LongSupplier clock) {
        super(sink, context, states, clientProvider.create());
        this.invalidDataPolicy = sink.invalidDataPolicy();
        this.deadLetters = deadLetters;
        this.maxRecordSizeInBytes = sink.writerConfiguration().getMaxRecordSizeInBytes();
        this.clock = clock;
        this.datumsSent = counter(context, DATUMS_SENT);
        this.requestsFailed = counter(context, REQUESTS_FAILED);
        this.datumsRejected = counter(context, DATUMS_REJECTED);
        this.retryBound = RetryBound.ofDefault();
    }

    @Override
    protected void submitRequestEntries(
            List<MetricDatumEntry> entries, ResultHandler<MetricDatumEntry> resultHandler) {
        long now = clock.getAsLong();
        Map<String, List<MetricDatumEntry>> byNamespace = new LinkedHashMap<>();
        for (MetricDatumEntry entry : entries) {
            Optional<String> problem = CloudWatchLimits.datumProblem(entry, now);
            if (problem.isEmpty()) {
                byNamespace
                        .computeIfAbsent(entry.getNamespace(), k -> new ArrayList<>())
                        .add(entry);
            } else if (invalidDataPolicy == InvalidDataPolicy.FAIL) {
                resultHandler.completeExceptionally(
                        new CloudWatchSinkException(
                                CloudWatchErrorClassifier.invalidDataMessage(
                                        entry.getNamespace(), problem.get(), "datum " + entry)));
                return;
            } else {
                reject(entry, "not sent, CloudWatch would refuse it: " + problem.get());
            }
        }
        if (byNamespace.isEmpty()) {
            resultHandler.complete();
            return;
        }
        List<CompletableFuture<Outcome>> requests = new ArrayList<>(byNamespace.size());
        for (Map.Entry<String, List<MetricDatumEntry>> group : byNamespace.entrySet()) {
            requests.add(send(group.getKey(), group.getValue()));
        }
        CompletableFuture.allOf(requests.toArray(new CompletableFuture<?>[0]))
                .whenComplete((ignored, error) -> finish(requests, resultHandler));
    }

    /** One PutMetricData, and what became of its datums. */
    private CompletableFuture<Outcome> send(String namespace, List<MetricDatumEntry> datums) {
        List<MetricDatum> data = new ArrayList<>(datums.size());
        for (MetricDatumEntry entry : datums) {
            data.add(entry.toDatum());
        }
        return call(() ->
                        client.putMetricData(
                                PutMetricDataRequest.builder()
                                        .namespace(namespace)
                                        .metricData(data)
                                        .build()))
                .handle((response, error) -> error)
                .thenCompose(
                        error -> {
                            if (error == null) {
                                retryBound.succeeded();
                                datumsSent.inc(datums.size());
                                return CompletableFuture.completedFuture(Outcome.done());
                            }
                            requestsFailed.inc();
                            return failed(namespace, datums, error);
                        });
    }

    private CompletableFuture<Outcome> failed(
            String namespace, List<MetricDatumEntry> datums, Throwable error) {
        List<Exception> fatal = new ArrayList<>(1);
        // isFatal answers false when a classifier of the chain took the error as fatal.
        if (!CloudWatchErrorClassifier.fatalErrors(namespace, datums, invalidDataPolicy)
                .isFatal(error, fatal::add)) {
            return CompletableFuture.completedFuture(Outcome.fatal(fatal.get(0)));
        }
        String code = CloudWatchErrorClassifier.codeOrNone(error);
        String message = AwsFailure.message(error);
        if (CloudWatchErrorClassifier.isInvalidData(error)) {
            if (datums.size() > 1) {
                // One bad datum refuses the whole request: send the halves again, so that the
                // good datums arrive and the refused ones end up alone (log2(n) rounds).
                int half = datums.size() / 2;
                CompletableFuture<Outcome> left =
                        send(namespace, new ArrayList<>(datums.subList(0, half)));
                CompletableFuture<Outcome> right =
                        send(namespace, new ArrayList<>(datums.subList(half, datums.size())));
                return left.thenCombine(right, Outcome::plus);
            }
            reject(
                    datums.get(0),
                    "CloudWatch refused it: " + AwsFailure.errorCode(error) + ": " + message);
            return CompletableFuture.completedFuture(Outcome.done());
        }
        if (retryBound.exhausted()) {
            return CompletableFuture.completedFuture(
                    Outcome.fatal(
                            new CloudWatchSinkException(
                                    "PutMetricData for namespace '"
                                            + namespace
                                            + "' has failed with throttling or network"
                                            + " errors for more than "
                                            + retryBound.limit()
                                            + " (last: "
                                            + code
                                            + ": "
                                            + message
                                            + "). Failing so that the restart strategy"
                                            + " takes over; buffered datums are kept in"
                                            + " the checkpoint.",
                                    AwsFailure.unwrap(error))));
        }
        LOG.debug(
                "event=cloudwatch_retry namespace={} datums={} code={} message=\"{}\"",
                namespace,
                datums.size(),
                AwsFailure.errorCode(error),
                message);
        return CompletableFuture.completedFuture(Outcome.retry(datums));
    }

    /** Tells the writer, once, what became of every datum of the batch. */
    private static void finish(
            List<CompletableFuture<Outcome>> requests,
            ResultHandler<MetricDatumEntry> resultHandler) {
        Outcome total = Outcome.done();
        for (CompletableFuture<Outcome> request : requests) {
            try {
                total = total.plus(request.join());
            } catch (RuntimeException e) {
                total =
                        total.plus(
                                Outcome.fatal(
                                        new CloudWatchSinkException(
                                                "The CloudWatch sink failed while handling a"
                                                        + " PutMetricData result",
                                                AwsFailure.unwrap(e))));
            }
        }
        if (total.fatal != null) {
            resultHandler.completeExceptionally(total.fatal);
        } else if (!total.retry.isEmpty()) {
            resultHandler.retryForEntries(total.retry);
        } else {
            resultHandler.complete();
        }
    }

    private void reject(MetricDatumEntry entry, String reason) {
        datumsRejected.inc();
        deadLetters.accept(
                new DeadLetter(
                        DeadLetter.Reason.REJECTED_BY_SINK,
                        reason,
                        entry.toString(),
                        "cloudwatch:" + entry.getNamespace(),
                        clock.getAsLong()));
    }

    @Override
    protected long getSizeInBytes(MetricDatumEntry entry) {
        // A datum that breaks CloudWatch's limits is never sent, so its (possibly huge) size must
        // not trip the buffer's record-size check before the writer can dead-letter it.
        long estimate = entry.estimatedSizeInBytes();
        return maxRecordSizeInBytes > 0 ? Math.min(estimate, maxRecordSizeInBytes) : estimate;
    }

    /** Datums to retry, or the error that fails the job. */
    private static final class Outcome {
        final List<MetricDatumEntry> retry;
        final Exception fatal;

        private Outcome(List<MetricDatumEntry> retry, Exception fatal) {
            this.retry = retry;
            this.fatal = fatal;
        }

        static Outcome done() {
            return new Outcome(List.of(), null);
        }

        static Outcome retry(List<MetricDatumEntry> datums) {
            return new Outcome(datums, null);
        }

        static Outcome fatal(Exception e) {
            return new Outcome(List.of(), e);
        }

        Outcome plus(Outcome other) {
            List<MetricDatumEntry> both = new ArrayList<>(retry);
            both.addAll(other.retry);
            return new Outcome(both, fatal != null ? fatal : other.fatal);
        }
    }
}
