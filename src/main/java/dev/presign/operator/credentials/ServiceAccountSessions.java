package dev.presign.operator.credentials;

import dev.presign.operator.config.DefaultRegion;
import dev.presign.operator.config.PresignConfig;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Signs as a ServiceAccount's IAM role, as IRSA does for its pods (DESIGN §4): a token of that
 * ServiceAccount from the API server (TokenRequest), exchanged at STS for a session of the role in
 * its {@code eks.amazonaws.com/role-arn} annotation. Sessions are cached per (namespace,
 * ServiceAccount, role).
 */
@ApplicationScoped
public class ServiceAccountSessions {

  static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
  static final String AUDIENCE = "sts.amazonaws.com";

  /** The shortest token the API server issues; it is spent at once. */
  static final long TOKEN_SECONDS = 600;

  /** The shortest session STS grants. */
  static final Duration MIN_SESSION = Duration.ofMinutes(15);

  private record SessionKey(String namespace, String serviceAccount, String roleArn) {}

  private record Session(AwsSessionCredentials credentials, Instant expiresAt) {}

  private final KubernetesClient client;
  private final StsClient sts;
  private final Clock clock;
  private final Duration maxSession;
  private final Map<SessionKey, Session> sessions = new ConcurrentHashMap<>();

  public ServiceAccountSessions(KubernetesClient client, PresignConfig config, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.maxSession = config.sts().maxSessionDuration();
    // AssumeRoleWithWebIdentity is not signed: the token is the proof. The endpoint follows the
    // SDK's settings (AWS_ENDPOINT_URL_STS, aws.endpointUrlSts, profile), the region the
    // operator's.
    this.sts =
        StsClient.builder()
            .region(DefaultRegion.of(config.region()))
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /**
   * Credentials of the role of ServiceAccount {@code name} in {@code namespace}, valid for {@code
   * lifetime} when STS and the configured maximum allow it.
   */
  public SigningCredentials credentials(String namespace, String name, Duration lifetime) {
    String roleArn = roleArn(namespace, name);
    SessionKey key = new SessionKey(namespace, name, roleArn);
    Duration wanted = clamp(lifetime);
    Instant now = clock.instant();
    Session session = sessions.get(key);
    // A cached session is reused only while it would not cut the URL short.
    if (session == null || session.expiresAt().isBefore(now.plus(wanted))) {
      session = assumeRole(key, wanted);
      sessions.put(key, session);
    }
    return new SigningCredentials(
        session.credentials(),
        Optional.of(session.expiresAt()),
        "ServiceAccount " + name + " (role " + roleArn + ")");
  }

  private Duration clamp(Duration lifetime) {
    Duration atMostMax = lifetime.compareTo(maxSession) > 0 ? maxSession : lifetime;
    return atMostMax.compareTo(MIN_SESSION) < 0 ? MIN_SESSION : atMostMax;
  }

  private String roleArn(String namespace, String name) {
    ServiceAccount account;
    try {
      account = client.serviceAccounts().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new CredentialsUnavailableException(
          "cannot read ServiceAccount " + namespace + "/" + name + ": " + e.getMessage(), e);
    }
    if (account == null) {
      throw new CredentialsUnavailableException(
          "ServiceAccount "
              + namespace
              + "/"
              + name
              + " named by spec.credentials.serviceAccountName does not exist (a link can use"
              + " only ServiceAccounts of its own namespace)");
    }
    Map<String, String> annotations = account.getMetadata().getAnnotations();
    String roleArn = annotations == null ? null : annotations.get(ROLE_ARN_ANNOTATION);
    if (roleArn == null || roleArn.isBlank()) {
      throw new CredentialsUnavailableException(
          "ServiceAccount "
              + namespace
              + "/"
              + name
              + " has no "
              + ROLE_ARN_ANNOTATION
              + " annotation naming the IAM role to sign as");
    }
    return roleArn.trim();
  }

  private Session assumeRole(SessionKey key, Duration duration) {
    String token = token(key);
    try {
      Credentials credentials =
          sts.assumeRoleWithWebIdentity(
                  request ->
                      request
                          .roleArn(key.roleArn())
                          .roleSessionName(sessionName(key))
                          .webIdentityToken(token)
                          .durationSeconds((int) duration.toSeconds()))
              .credentials();
      return new Session(
          AwsSessionCredentials.create(
              credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()),
          credentials.expiration());
    } catch (StsException e) {
      throw new CredentialsUnavailableException(
          "STS refused the role "
              + key.roleArn()
              + " to ServiceAccount "
              + key.namespace()
              + "/"
              + key.serviceAccount()
              + ": "
              + (e.awsErrorDetails() == null
                  ? e.getMessage()
                  : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()),
          e);
    } catch (SdkException e) {
      throw new CredentialsUnavailableException(
          "cannot reach STS for the role " + key.roleArn() + ": " + e.getMessage(), e);
    }
  }

  private String token(SessionKey key) {
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(AUDIENCE)
            .withExpirationSeconds(TOKEN_SECONDS)
            .endSpec()
            .build();
    try {
      return client
          .serviceAccounts()
          .inNamespace(key.namespace())
          .withName(key.serviceAccount())
          .tokenRequest(request)
          .getStatus()
          .getToken();
    } catch (KubernetesClientException e) {
      throw new CredentialsUnavailableException(
          "cannot get a token for ServiceAccount "
              + key.namespace()
              + "/"
              + key.serviceAccount()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Shows in CloudTrail who signed: namespace and ServiceAccount, within STS's 64 characters. */
  static String sessionName(SessionKey key) {
    String name =
        ("presign-" + key.namespace() + "-" + key.serviceAccount()).replaceAll("[^\\w+=,.@-]", "-");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  @PreDestroy
  void close() {
    sts.close();
  }
}
