package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.credentials.CredentialsResolver;
import dev.presign.operator.credentials.SigningCredentials;
import dev.presign.operator.report.LinkMetrics;
import dev.presign.operator.report.LinkStatus;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.rotation.RenewalSchedule;
import dev.presign.operator.rotation.RotationGroup;
import dev.presign.operator.rotation.Schedule;
import dev.presign.operator.signing.SignedUrl;
import dev.presign.operator.signing.UrlRedaction;
import dev.presign.operator.signing.UrlSigner;
import dev.presign.operator.validation.ValidLink;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Signs the next URL of a link: credentials, then the schedule they allow (R2, R3), then S3. */
@ApplicationScoped
public class UrlIssuer {

  /**
   * A URL just signed, and what the Secret will record about it.
   *
   * @param fields POST: the form fields; empty for GET and PUT
   * @param cappedBy what signed it, when the credentials' expiry cut the requested lifetime (R2)
   */
  record NewUrl(
      String url, Map<String, String> fields, IssuedUrl issued, Optional<String> cappedBy) {
    @Override
    public String toString() {
      return "NewUrl[" + UrlRedaction.redact(url) + ", " + issued + "]";
    }
  }

  private final CredentialsResolver credentials;
  private final UrlSigner signer;
  private final LinkMetrics metrics;
  private final RenewalSchedule schedule;

  public UrlIssuer(
      CredentialsResolver credentials,
      UrlSigner signer,
      LinkMetrics metrics,
      PresignConfig config) {
    this.credentials = credentials;
    this.signer = signer;
    this.metrics = metrics;
    this.schedule = new RenewalSchedule(config.jitter().maxFraction(), config.jitter().max());
  }

  /**
   * @param otherRenewals when the links that share a restart target with this one renew: its own
   *     renewal moves to the earliest of them (R9)
   */
  NewUrl sign(
      PresignedObjectLink link,
      ValidLink valid,
      Optional<IssuedUrl> current,
      Collection<Instant> otherRenewals,
      Instant now) {
    SigningCredentials signingCredentials =
        credentials.resolve(
            link.getMetadata().getNamespace(),
            valid.credentials(),
            valid.expiresIn(),
            valid.renewBefore());
    Schedule planned =
        schedule.plan(
            now,
            valid.expiresIn(),
            valid.renewBefore(),
            signingCredentials.expiresAt(),
            ThreadLocalRandom.current().nextDouble());
    Duration lifetime = Duration.between(planned.issuedAt(), planned.expiresAt());
    SignedUrl url =
        metrics.timeSigning(
            () ->
                signer.sign(
                    valid.request(),
                    signingCredentials.credentials(),
                    lifetime,
                    current.map(IssuedUrl::urlDigest)));
    IssuedUrl issued =
        new IssuedUrl(
            link.getMetadata().getGeneration(),
            planned.issuedAt(),
            // One second early when the URL had to differ from the one it replaces.
            planned.issuedAt().plus(url.lifetime()),
            RotationGroup.alignedRenewal(planned.issuedAt(), planned.renewalTime(), otherRenewals),
            signingCredentials.expiresAt(),
            LinkStatus.rotationsSoFar(link, current) + 1,
            url.digest(),
            true,
            Optional.of(valid.signedSpec()));
    return new NewUrl(
        url.url(),
        url.fields(),
        issued,
        Optional.of(signingCredentials.source()).filter(source -> planned.lifetimeCapped()));
  }
}
