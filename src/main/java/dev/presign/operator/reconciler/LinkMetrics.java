package dev.presign.operator.reconciler;

import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.rotation.IssuedUrl;
import dev.presign.operator.verification.Verification;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Prometheus metrics of DESIGN §5. Labels name links, never URLs (R6).
 *
 * <ul>
 *   <li>presign_link_expiry_timestamp_seconds{namespace,name}
 *   <li>presign_link_renewal_timestamp_seconds{namespace,name}
 *   <li>presign_link_ready{namespace,name}: 1 while the Ready condition is True
 *   <li>presign_link_verified{namespace,name}: 1 when the current URL read its object (R11)
 *   <li>presign_rotations_total{result}
 *   <li>presign_verification_failures_total{code}
 *   <li>presign_signing_seconds
 * </ul>
 */
@ApplicationScoped
public class LinkMetrics {

  static final String EXPIRY = "presign.link.expiry.timestamp.seconds";
  static final String RENEWAL = "presign.link.renewal.timestamp.seconds";
  static final String READY = "presign.link.ready";
  static final String VERIFIED = "presign.link.verified";

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          EXPIRY, "When the link's current URL expires (Unix time)",
          RENEWAL, "When the link's URL is next rotated (Unix time)",
          READY, "1 while the link's Ready condition is True, else 0",
          VERIFIED, "1 when the link's current URL read its object, 0 when it did not");

  /** One gauge of one link, read at scrape time. */
  private static final class Value {
    volatile double value;
    Gauge gauge;
  }

  private final MeterRegistry registry;
  private final Timer signing;
  private final Map<ResourceID, Map<String, Value>> links = new ConcurrentHashMap<>();

  public LinkMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.signing =
        Timer.builder("presign.signing")
            .description("Time to sign one presigned URL (local, no network)")
            .register(registry);
  }

  public <T> T timeSigning(Supplier<T> sign) {
    return signing.record(sign);
  }

  /** Counts a rotation attempt by its result: Issued, Rotated, or a failure reason. */
  public void rotation(String result) {
    registry.counter("presign.rotations", Tags.of("result", result)).increment();
  }

  public void observe(ResourceID link, IssuedUrl issued) {
    set(link, EXPIRY, issued.expiresAt().getEpochSecond());
    set(link, RENEWAL, issued.renewalTime().getEpochSecond());
  }

  /** The Ready condition of the status the link has (or is about to get). */
  public void ready(ResourceID link, PresignedObjectLinkStatus status) {
    boolean ready =
        status.getConditions().stream()
            .anyMatch(c -> LinkStatus.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    set(link, READY, ready ? 1 : 0);
  }

  /** A verification's outcome; a failure also counts under its (bounded) code. */
  public void verified(ResourceID link, Verification verification) {
    set(link, VERIFIED, verification.verified() ? 1 : 0);
    if (!verification.verified()) {
      registry
          .counter("presign.verification.failures", Tags.of("code", verification.metricCode()))
          .increment();
    }
  }

  /** The outcome of a verification done before a restart, as the status recorded it. */
  public void verified(ResourceID link, boolean verified) {
    set(link, VERIFIED, verified ? 1 : 0);
  }

  /** The link's URL is not verified (PUT, or verification turned off): no series. */
  public void notVerified(ResourceID link) {
    Map<String, Value> series = links.get(link);
    Value removed = series == null ? null : series.remove(VERIFIED);
    if (removed != null) {
      registry.remove(removed.gauge);
    }
  }

  /** Drops the series of a deleted link (SdkMetrics hears of deletions from the SDK). */
  public void forget(ResourceID link) {
    Map<String, Value> removed = links.remove(link);
    if (removed != null) {
      removed.values().forEach(value -> registry.remove(value.gauge));
    }
  }

  private void set(ResourceID link, String name, double value) {
    links
            .computeIfAbsent(link, id -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                name,
                gauge -> {
                  Value created = new Value();
                  created.gauge =
                      Gauge.builder(gauge, created, v -> v.value)
                          .description(DESCRIPTIONS.get(gauge))
                          .tags("namespace", link.getNamespace().orElse(""), "name", link.getName())
                          .register(registry);
                  return created;
                })
            .value =
        value;
  }
}
