package dev.presign.operator.lifecycle;

import dev.presign.operator.config.PresignConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * presign_operator_leader: 1 on the replica that reconciles. Without leader election every replica
 * does; with it, the one between the SDK's start-leading and stop-leading callbacks. Alerts read it
 * to tell an operator that runs but reconciles nothing (no leader) from one that is up.
 */
@Startup
@ApplicationScoped
public class Leadership {

  private final AtomicInteger leading;

  public Leadership(PresignConfig config, MeterRegistry registry) {
    this.leading = new AtomicInteger(config.leaderElection().enabled() ? 0 : 1);
    // A supplier, which the registry holds strongly: a gauge of an object holds it weakly, and
    // nothing but CDI would keep it.
    Gauge.builder("presign.operator.leader", leading::get)
        .description("1 on the replica that reconciles links (the leader), else 0")
        .register(registry);
  }

  void startedLeading() {
    leading.set(1);
  }

  void stoppedLeading() {
    leading.set(0);
  }
}
