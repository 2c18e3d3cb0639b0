package dev.presign.operator.deploy;

import dev.presign.operator.config.PresignConfig;
import dev.presign.operator.credentials.CredentialsResolver;
import dev.presign.operator.credentials.OperatorIdentity;
import dev.presign.operator.credentials.ServiceAccountSessions;
import dev.presign.operator.credentials.WebIdentitySessions;
import dev.presign.operator.policy.SigningPolicy;
import dev.presign.operator.reconciler.FaultRecovery;
import dev.presign.operator.reconciler.NamespaceInformer;
import dev.presign.operator.reconciler.PresignedObjectLinkReconciler;
import dev.presign.operator.reconciler.UrlIssuer;
import dev.presign.operator.report.LinkEvents;
import dev.presign.operator.report.LinkMetrics;
import dev.presign.operator.signing.UrlSigner;
import dev.presign.operator.verification.Verifications;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production reconciler wired by hand, for tests that run several operators in one JVM (one JVM
 * holds one Quarkus app), each a plain SDK Operator with its own client and meters.
 */
final class Replica {

  private static final Pattern EXPIRY_SERIES =
      Pattern.compile(
          "^presign_link_expiry_timestamp_seconds\\{name=\"([^\"]+)\"", Pattern.MULTILINE);

  private Replica() {}

  static PresignedObjectLinkReconciler reconciler(
      KubernetesClient client, PresignConfig config, PrometheusMeterRegistry registry) {
    Clock clock = Clock.systemUTC();
    LinkMetrics metrics = new LinkMetrics(registry, registry, clock);
    WebIdentitySessions sessions = new WebIdentitySessions(config, clock, registry);
    UrlSigner signer = new UrlSigner(config, clock);
    return new PresignedObjectLinkReconciler(
        new UrlIssuer(
            new CredentialsResolver(
                client,
                new ServiceAccountSessions(client, sessions),
                new OperatorIdentity(sessions)),
            signer,
            metrics,
            config),
        signer,
        new SigningPolicy(config, new NamespaceInformer(client)),
        new LinkEvents(client, clock),
        metrics,
        new Verifications(config, new LinkEvents(client, clock), metrics, clock),
        new FaultRecovery(sessions, client),
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

  /** A registry as the operator's /q/metrics serves it. */
  static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Links whose expiry a replica publishes on its metrics endpoint: the ones it reconciled. */
  static Set<String> linksObserved(PrometheusMeterRegistry registry) {
    Matcher series = EXPIRY_SERIES.matcher(registry.scrape());
    Set<String> links = new HashSet<>();
    while (series.find()) {
      links.add(series.group(1));
    }
    return links;
  }
}
