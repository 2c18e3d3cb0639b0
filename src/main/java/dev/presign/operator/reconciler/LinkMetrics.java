package dev.presign.operator.reconciler;

import dev.presign.operator.rotation.IssuedUrl;
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
 *   <li>presign_rotations_total{result}
 *   <li>presign_signing_seconds
 * </ul>
 */
@ApplicationScoped
public class LinkMetrics {

  /** Timestamps of one link's current URL, read by its gauges at scrape time. */
  private static final class LinkTimes {
    volatile double expiry;
    volatile double renewal;
    Gauge expiryGauge;
    Gauge renewalGauge;
  }

  private final MeterRegistry registry;
  private final Timer signing;
  private final Map<ResourceID, LinkTimes> links = new ConcurrentHashMap<>();

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
    LinkTimes times =
        links.computeIfAbsent(
            link,
            id -> {
              LinkTimes created = new LinkTimes();
              Tags tags = Tags.of("namespace", id.getNamespace().orElse(""), "name", id.getName());
              created.expiryGauge =
                  Gauge.builder("presign.link.expiry.timestamp.seconds", created, t -> t.expiry)
                      .description("When the link's current URL expires (Unix time)")
                      .tags(tags)
                      .register(registry);
              created.renewalGauge =
                  Gauge.builder("presign.link.renewal.timestamp.seconds", created, t -> t.renewal)
                      .description("When the link's URL is next rotated (Unix time)")
                      .tags(tags)
                      .register(registry);
              return created;
            });
    times.expiry = issued.expiresAt().getEpochSecond();
    times.renewal = issued.renewalTime().getEpochSecond();
  }

  /** Drops the series of a deleted link (SdkMetrics hears of deletions from the SDK). */
  public void forget(ResourceID link) {
    LinkTimes removed = links.remove(link);
    if (removed != null) {
      registry.remove(removed.expiryGauge);
      registry.remove(removed.renewalGauge);
    }
  }
}
