package dev.presign.operator.deploy;

import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.credentials.CredentialsResolver;
import dev.presign.operator.credentials.OperatorIdentity;
import dev.presign.operator.credentials.ServiceAccountSessions;
import dev.presign.operator.credentials.WebIdentitySessions;
import dev.presign.operator.policy.SigningPolicy;
import dev.presign.operator.reconciler.LinkEvents;
import dev.presign.operator.reconciler.LinkMetrics;
import dev.presign.operator.reconciler.PresignedObjectLinkReconciler;
import dev.presign.operator.reconciler.UrlIssuer;
import dev.presign.operator.reconciler.Verifications;
import dev.presign.operator.signing.UrlSigner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The production reconciler wired by hand, for tests that run several operators in one JVM (one JVM
 * holds one Quarkus app), each a plain SDK Operator with its own client and meters.
 */
final class Replica {

  private Replica() {}

  static PresignedObjectLinkReconciler reconciler(
      KubernetesClient client, PresignConfig config, MeterRegistry registry) {
    Clock clock = Clock.systemUTC();
    LinkMetrics metrics = new LinkMetrics(registry);
    WebIdentitySessions sessions = new WebIdentitySessions(config, clock);
    return new PresignedObjectLinkReconciler(
        new UrlIssuer(
            new CredentialsResolver(
                client,
                new ServiceAccountSessions(client, sessions),
                new OperatorIdentity(sessions)),
            new UrlSigner(config),
            metrics,
            config),
        new SigningPolicy(config, client),
        new LinkEvents(client, clock),
        metrics,
        new Verifications(config, new LinkEvents(client, clock), metrics),
        clock,
        config);
  }

  /** The production configuration with {@code settings} in place of the defaults. */
  static PresignConfig config(Map<String, String> settings) {
    return new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withMapping(PresignConfig.class)
        .withDefaultValues(settings)
        .build()
        .getConfigMapping(PresignConfig.class);
  }

  /** Links whose expiry a replica has published: the ones it reconciled. */
  static Set<String> linksObserved(MeterRegistry registry) {
    return registry.find("presign.link.expiry.timestamp.seconds").gauges().stream()
        .map(gauge -> gauge.getId().getTag("name"))
        .collect(Collectors.toSet());
  }
}
