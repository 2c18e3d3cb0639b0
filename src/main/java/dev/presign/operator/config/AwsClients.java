package dev.presign.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Where the operator's AWS clients are built (STYLE: one place). Their users build each once and
 * reuse it: signing is local, and STS is called only for a new session.
 */
public final class AwsClients {

  private AwsClients() {}

  /**
   * A presigner for one region and endpoint. It holds no credentials: each URL is signed with those
   * of its link.
   */
  public static S3Presigner presigner(Region region, Optional<URI> endpoint, boolean pathStyle) {
    S3Presigner.Builder builder =
        S3Presigner.builder()
            .region(region)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /**
   * STS for AssumeRoleWithWebIdentity, which is not signed: the token is the proof. The endpoint
   * follows the SDK's settings (AWS_ENDPOINT_URL_STS, aws.endpointUrlSts, profile), the region the
   * operator's.
   *
   * @param timeout bounds each call, connection included: a hanging STS must not hold a session's
   *     refresh for long
   */
  public static StsClient anonymousSts(Region region, Duration timeout) {
    return StsClient.builder()
        .region(region)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(timeout)
                .socketTimeout(timeout)
                .build())
        // One call per refresh: the sessions' own backoff (with jitter, longer when throttled)
        // decides when to try again, so that a throttled STS is not asked three times as often.
        .overrideConfiguration(
            override ->
                override.apiCallTimeout(timeout).retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }
}
