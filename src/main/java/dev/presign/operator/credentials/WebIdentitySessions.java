package dev.presign.operator.credentials;

import dev.presign.operator.config.AwsClients;
import dev.presign.operator.config.DefaultRegion;
import dev.presign.operator.config.PresignConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * IAM role sessions for web identity tokens (STS AssumeRoleWithWebIdentity), for a ServiceAccount
 * of a link's namespace and for the operator's own IRSA identity (DESIGN §4).
 *
 * <p>Each identity has one session in hand and at most one STS call in flight, however many links
 * it signs. The session is refreshed in the background before any link would find it stale ({@link
 * RoleSession}); a reconcile waits for STS only when no session in hand can serve its URL. While
 * STS fails, hangs or throttles, the session in hand keeps signing (its URLs capped at its end, R2)
 * as long as it outlives the link's renewBefore; the call is retried within seconds ({@link
 * StsBackoff}), and when STS answers again the listeners hear of it, so that links left without
 * credentials are tried again at once.
 *
 * <p>The SDK's STS credential providers refresh ahead of need too, but one provider holds one
 * session length and answers every caller alike: it cannot tell a link that its URL would be cut
 * short, nor sign a URL with a session past its prefetch time while STS is down without blocking
 * the caller on a synchronous refresh first.
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

  /** How often sessions are looked at for a refresh or a retry. */
  private static final Duration TICK = Duration.ofSeconds(1);

  /** A failing identity that no link asked for this long is dropped: its links are gone. */
  private static final Duration FORGET_FAILING_AFTER = Duration.ofMinutes(10);

  private static final Logger LOG = Logger.getLogger(WebIdentitySessions.class);

  /**
   * Why the last refresh of an identity failed; throttled calls back off longer.
   *
   * @param result the STS call's, for presign_sts_calls_total; empty when no call was made (no
   *     token)
   */
  private record StsFailure(String message, boolean throttled, Optional<String> result) {}

  /** The sessions of one holder; the fields under its lock change only together. */
  private static final class Identity {
    final Holder holder;
    volatile Supplier<String> token;

    /** The longest session any of its links asked for: what each call asks of STS. */
    volatile Duration wanted = Duration.ZERO;

    volatile Instant lastAsked;

    /** Whether a link asked since the last refresh started: only then is the next one due. */
    volatile boolean askedSinceRefresh;

    volatile RoleSession session;
    // Guarded by this.
    CompletableFuture<RoleSession> refresh;
    StsFailure failure;
    int failures;
    Instant nextTry = Instant.MIN;

    Identity(Holder holder) {
      this.holder = holder;
    }

    void asked(Duration duration, Supplier<String> latestToken, Instant now) {
      token = latestToken;
      if (duration.compareTo(wanted) > 0) {
        wanted = duration;
      }
      lastAsked = now;
      askedSinceRefresh = true;
    }

    synchronized Optional<StsFailure> failure() {
      return Optional.ofNullable(failure);
    }
  }

  private final StsClient sts;
  private final Duration maxSession;
  private final Duration timeout;
  private final Clock clock;
  private final MeterRegistry meters;
  private final ExecutorService calls;
  private final ScheduledExecutorService ticker;
  private final Map<Holder, Identity> identities = new ConcurrentHashMap<>();
  private final List<Consumer<Holder>> recoveryListeners = new CopyOnWriteArrayList<>();

  @Inject
  public WebIdentitySessions(PresignConfig config, Clock clock, MeterRegistry meters) {
    this(
        DefaultRegion.of(config.region()),
        config.sts().maxSessionDuration(),
        config.sts().timeout(),
        clock,
        meters,
        true);
  }

  /**
   * @param maxSession the longest session asked of STS (presign.sts.max-session-duration)
   * @param timeout bounds each STS call (presign.sts.timeout)
   * @param background whether sessions are refreshed and failed calls retried on a timer; tests
   *     that move the clock by hand call {@link #refreshDue()} themselves
   */
  WebIdentitySessions(
      Region region,
      Duration maxSession,
      Duration timeout,
      Clock clock,
      MeterRegistry meters,
      boolean background) {
    this.maxSession = maxSession;
    this.timeout = timeout;
    this.clock = clock;
    this.meters = meters;
    this.sts = AwsClients.anonymousSts(region, timeout);
    this.calls = Executors.newCachedThreadPool(daemon("presign-sts"));
    if (background) {
      ticker = Executors.newSingleThreadScheduledExecutor(daemon("presign-sts-refresh"));
      ticker.scheduleWithFixedDelay(
          this::refreshDue, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      ticker = null;
    }
  }

  /**
   * Credentials of {@code holder}'s role for a URL that should work for {@code lifetime}.
   *
   * @param renewBefore the link's: a session that ends sooner than this cannot serve it
   * @param token read only when a new session is needed: tokens are short-lived and rotated
   * @throws CredentialsUnavailableException when no session can serve the URL, with STS's words
   */
  public SigningCredentials credentials(
      Holder holder, Duration lifetime, Duration renewBefore, Supplier<String> token) {
    Duration wanted = clamp(lifetime);
    Instant now = clock.instant();
    Identity identity = identities.computeIfAbsent(holder, Identity::new);
    identity.asked(wanted, token, now);
    RoleSession inHand = identity.session;
    if (inHand != null && inHand.serves(wanted, now)) {
      return signing(holder, inHand);
    }
    Optional<CompletableFuture<RoleSession>> refresh = refresh(identity, now, true);
    // While STS answers, a fresh session is worth one call's wait: the URL is not cut short.
    if (refresh.isPresent() && identity.failure().isEmpty()) {
      Optional<RoleSession> fresh = await(refresh.get());
      if (fresh.isPresent()) {
        return signing(holder, fresh.get());
      }
    }
    inHand = identity.session;
    if (inHand != null && inHand.lasts(renewBefore, clock.instant())) {
      return signing(holder, inHand);
    }
    throw new CredentialsUnavailableException(unavailable(identity, inHand, renewBefore));
  }

  /** Hears the holder whose STS calls succeed again after failing. */
  public void onRecovery(Consumer<Holder> listener) {
    recoveryListeners.add(listener);
  }

  public void removeListener(Consumer<Holder> listener) {
    recoveryListeners.remove(listener);
  }

  /**
   * Starts the refreshes that are due: sessions that links will soon find stale, and identities
   * whose last call failed, once their backoff has passed.
   */
  void refreshDue() {
    Instant now = clock.instant();
    identities
        .values()
        .removeIf(
            identity ->
                identity.failure().isPresent()
                    && identity.lastAsked.isBefore(now.minus(FORGET_FAILING_AFTER)));
    for (Identity identity : identities.values()) {
      RoleSession session = identity.session;
      boolean staleSoon =
          session != null && identity.askedSinceRefresh && session.refreshDue(identity.wanted, now);
      if (staleSoon || identity.failure().isPresent()) {
        refresh(identity, now, false);
      }
    }
  }

  /**
   * The call in flight for the identity, or a new one; empty while it backs off.
   *
   * @param forLink whether a link asks for it now, rather than the background refresh
   */
  private Optional<CompletableFuture<RoleSession>> refresh(
      Identity identity, Instant now, boolean forLink) {
    synchronized (identity) {
      if (identity.refresh == null) {
        if (now.isBefore(identity.nextTry)) {
          return Optional.empty();
        }
        CompletableFuture<RoleSession> call = new CompletableFuture<>();
        identity.refresh = call;
        identity.askedSinceRefresh = forLink;
        Duration duration = identity.wanted;
        Supplier<String> token = identity.token;
        calls.execute(() -> call(identity, duration, token, call));
      }
      return Optional.of(identity.refresh);
    }
  }

  private void call(
      Identity identity,
      Duration duration,
      Supplier<String> token,
      CompletableFuture<RoleSession> call) {
    try {
      RoleSession session = assumeRole(identity.holder, duration, token.get());
      settle(identity, session);
      call.complete(session);
    } catch (CredentialsUnavailableException e) {
      settle(identity, failure(e));
      call.completeExceptionally(e);
    } catch (RuntimeException e) {
      settle(identity, new StsFailure(String.valueOf(e), false, Optional.of("error")));
      call.completeExceptionally(e);
    }
  }

  private void settle(Identity identity, RoleSession session) {
    Optional<StsFailure> ended;
    synchronized (identity) {
      ended = Optional.ofNullable(identity.failure);
      identity.session = session;
      identity.failure = null;
      identity.failures = 0;
      identity.nextTry = Instant.MIN;
      identity.refresh = null;
    }
    count(identity.holder, "success");
    if (ended.isPresent()) {
      LOG.infof(
          "STS answers again for %s (role %s)",
          identity.holder.description(), identity.holder.roleArn());
      recoveryListeners.forEach(listener -> listener.accept(identity.holder));
    }
  }

  private void settle(Identity identity, StsFailure failure) {
    Duration pause;
    int failures;
    synchronized (identity) {
      failures = ++identity.failures;
      pause =
          StsBackoff.after(failures, failure.throttled(), ThreadLocalRandom.current().nextDouble());
      identity.failure = failure;
      identity.nextTry = clock.instant().plus(pause);
      identity.refresh = null;
    }
    failure.result().ifPresent(result -> count(identity.holder, result));
    // R8: one line per failed call, with the pause before the next one.
    LOG.warnf(
        "%s (failure %d in a row; next try in %d s)",
        failure.message(), failures, pause.toSeconds());
  }

  private static StsFailure failure(CredentialsUnavailableException e) {
    if (e.getCause() instanceof SdkServiceException answered) {
      boolean throttled = answered.isThrottlingException();
      return new StsFailure(
          e.getMessage(), throttled, Optional.of(throttled ? "throttled" : "refused"));
    }
    if (e.getCause() instanceof SdkException) {
      return new StsFailure(e.getMessage(), false, Optional.of("unreachable"));
    }
    // The token could not be had (TokenRequest, projected file): no STS call was made.
    return new StsFailure(e.getMessage(), false, Optional.empty());
  }

  private void count(Holder holder, String result) {
    meters
        .counter("presign.sts.calls", Tags.of("role", holder.roleArn(), "result", result))
        .increment();
  }

  private Optional<RoleSession> await(CompletableFuture<RoleSession> refresh) {
    try {
      // The call is bounded by the STS client's own timeout; this only guards against a lost one.
      return Optional.of(refresh.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String unavailable(Identity identity, RoleSession inHand, Duration renewBefore) {
    String why =
        identity
            .failure()
            .map(StsFailure::message)
            .orElse("no STS session yet for the role " + identity.holder.roleArn());
    if (inHand == null) {
      return why;
    }
    return why
        + "; the session in hand ends at "
        + inHand.expiresAt()
        + ", too soon for a URL that lasts renewBefore ("
        + renewBefore
        + ")";
  }

  private static SigningCredentials signing(Holder holder, RoleSession session) {
    return new SigningCredentials(
        session.credentials(),
        Optional.of(session.expiresAt()),
        holder.description() + " (role " + holder.roleArn() + ")");
  }

  private Duration clamp(Duration lifetime) {
    Duration atMostMax = lifetime.compareTo(maxSession) > 0 ? maxSession : lifetime;
    return atMostMax.compareTo(MIN_SESSION) < 0 ? MIN_SESSION : atMostMax;
  }

  private RoleSession assumeRole(Holder holder, Duration duration, String token) {
    Instant now = clock.instant();
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
      return new RoleSession(
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

  private static ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @PreDestroy
  void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    calls.shutdownNow();
    sts.close();
  }
}
