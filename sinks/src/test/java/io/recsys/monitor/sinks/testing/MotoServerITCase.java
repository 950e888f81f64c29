package io.recsys.monitor.sinks.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** The emulator starts (or is found) and answers the real SNS protocol. */
class MotoServerITCase {

    @Test
    void emulatorAnswersSns() {
        MotoServer moto = MotoServer.shared();
        try (SnsClient sns =
                SnsClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                        .build()) {
            String arn = sns.createTopic(b -> b.name("probe")).topicArn();
            assertThat(arn).endsWith(":probe");
            assertThat(sns.listTopics().topics())
                    .anySatisfy(t -> assertThat(t.topicArn()).isEqualTo(arn));
        }
    }
}
