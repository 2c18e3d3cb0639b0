package dev.presign.operator.credentials;

import dev.presign.operator.config.AwsClients;
import dev.presign.operator.config.DefaultRegion;
import dev.presign.operator.config.PresignConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * IAM role sessions for web identity tokens (STS AssumeRoleWithWebIdentity), for a ServiceAccount
 * of a link's namespace and for the operator's own IRSA identity.
 *
 * <p>R2 wants fresh credentials when the cached ones would cap a URL's lifetime; signing must stay
 * local for most URLs. So a cached session serves a URL while at least two thirds of what a fresh
 * one could give remain (the lifetime asked for, as far as STS granted it last time): one STS call
 * per holder per third of a session, however many links it signs, and no URL capped below two
 * thirds of what a fresh session would allow.
 */
@ApplicationScoped
public class WebIdentitySessions {

  /**
   * Who assumes which role: the cache key.
   *
   * @param description for messages and SigningCredentials.source, e.g. "ServiceAccount a/b"
   */
  public record Holder(String roleArn, String sessionName, String description) {}

  /** The shortest session STS grants. */
  static final Duration MIN_SESSION = Duration.ofMinutes(15);

  private record Session(AwsSessionCredentials credentials, Instant obtainedAt, Instant expiresAt) {

    boolean serves(Duration wanted, Instant now) {
      Duration granted = Duration.between(obtainedAt, expiresAt);
      Duration couldGive = wanted.compareTo(granted) < 0 ? wanted : granted;
      return !expiresAt.isBefore(now.plus(couldGive.multipliedBy(2).dividedBy(3)));
    }
  }

  private final StsClient sts;
  private final Duration maxSession;
  private final Clock clock;
  private final Map<Holder, Session> sessions = new ConcurrentHashMap<>();

  @Inject
  public WebIdentitySessions(PresignConfig config, Clock clock) {
    this(DefaultRegion.of(config.region()), config.sts().maxSessionDuration(), clock);
  }

  /**
   * @param maxSession the longest session asked of STS (presign.sts.max-session-duration)
   */
  public WebIdentitySessions(Region region, Duration maxSession, Clock clock) {
    this.maxSession = maxSession;
    this.clock = clock;
    this.sts = AwsClients.anonymousSts(region);
  }

  /**
   * Credentials of {@code holder}'s role, valid for {@code lifetime} when STS and the configured
   * maximum allow it.
   *
   * @param token read only when a new session is needed: tokens are short-lived and rotated
   */
  public SigningCredentials credentials(Holder holder, Duration lifetime, Supplier<String> token) {
    Duration wanted = clamp(lifetime);
    Instant now = clock.instant();
    Session session = sessions.get(holder);
    if (session == null || !session.serves(wanted, now)) {
      session = assumeRole(holder, wanted, token.get(), now);
      sessions.put(holder, session);
    }
    return new SigningCredentials(
        session.credentials(),
        Optional.of(session.expiresAt()),
        holder.description() + " (role " + holder.roleArn() + ")");
  }

  private Duration clamp(Duration lifetime) {
    Duration atMostMax = lifetime.compareTo(maxSession) > 0 ? maxSession : lifetime;
    return atMostMax.compareTo(MIN_SESSION) < 0 ? MIN_SESSION : atMostMax;
  }

  private Session assumeRole(Holder holder, Duration duration, String token, Instant now) {
    try {
      Credentials credentials =
          sts.assumeRoleWithWebIdentity(
                  request ->
                      request
                          .roleArn(holder.roleArn())
                          .roleSessionName(holder.sessionName())
                          .webIdentityToken(token)
                          .durationSeconds((int) duration.toSeconds()))
              .credentials();
      return new Session(
          AwsSessionCredentials.create(
              credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()),
          now,
          credentials.expiration());
    } catch (StsException e) {
      throw new CredentialsUnavailableException(
          "STS refused the role "
              + holder.roleArn()
              + " to "
              + holder.description()
              + ": "
              + (e.awsErrorDetails() == null
                  ? e.getMessage()
                  : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()),
          e);
    } catch (SdkException e) {
      throw new CredentialsUnavailableException(
          "cannot reach STS for the role " + holder.roleArn() + ": " + e.getMessage(), e);
    }
  }

  /** A session name as STS takes it (CloudTrail shows it): [\w+=,.@-], at most 64 characters. */
  static String sessionName(String name) {
    String valid = name.replaceAll("[^\\w+=,.@-]", "-");
    return valid.length() > 64 ? valid.substring(0, 64) : valid;
  }

  @PreDestroy
  void close() {
    sts.close();
  }
}
