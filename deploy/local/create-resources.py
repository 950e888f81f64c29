"""Creates what the local stack needs in the AWS emulator: the event stream, the three alert
topics, and one SQS queue subscribed to all of them so that alerts can be read back.
Runs inside the moto image, which ships boto3."""
import os
import time

import boto3

ENDPOINT = os.environ.get("AWS_ENDPOINT_URL", "http://aws:5000")
REGION = os.environ.get("AWS_REGION", "us-east-1")
STREAM = os.environ.get("STREAM", "recsys-events")

session = boto3.session.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
)
kinesis = session.client("kinesis", endpoint_url=ENDPOINT)
sns = session.client("sns", endpoint_url=ENDPOINT)
sqs = session.client("sqs", endpoint_url=ENDPOINT)

if STREAM not in kinesis.list_streams()["StreamNames"]:
    kinesis.create_stream(StreamName=STREAM, ShardCount=2)
for _ in range(50):
    if kinesis.describe_stream(StreamName=STREAM)["StreamDescription"]["StreamStatus"] == "ACTIVE":
        break
    time.sleep(0.2)

queue_url = sqs.create_queue(QueueName="recsys-alerts")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
    "Attributes"
]["QueueArn"]
for topic in ("recsys-critical-alerts", "recsys-warning-alerts", "recsys-ml-alerts"):
    arn = sns.create_topic(Name=topic)["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)
    print("topic", arn)
print("stream", STREAM, "queue", queue_url)
