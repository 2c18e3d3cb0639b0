package dev.presign.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.config.PresignConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** presign_operator_leader, which the PresignOperatorNoLeader alert reads. */
class LeadershipTest {

  @Test
  void withoutElectionTheReplicaLeads() {
    MeterRegistry registry = new SimpleMeterRegistry();
    new Leadership(config(false), registry);

    assertThat(leader(registry)).isEqualTo(1);
  }

  @Test
  void withElectionTheReplicaLeadsFromTheStartLeadingCallbackOn() {
    MeterRegistry registry = new SimpleMeterRegistry();
    PresignConfig config = config(true);
    Leadership leadership = new Leadership(config, registry);
    assertThat(leader(registry)).isZero();

    new StopLeading(null, Clock.systemUTC(), leadership)
        .callbacks(config.leaderElection(), "replica-a")
        .onStartLeading();
    assertThat(leader(registry)).isEqualTo(1);

    // The stop-leading callback then ends the process when the Lease was lost: only its first step.
    leadership.stoppedLeading();
    assertThat(leader(registry)).isZero();
  }

  private static double leader(MeterRegistry registry) {
    return registry.get("presign.operator.leader").gauge().value();
  }

  private static PresignConfig config(boolean election) {
    return new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withMapping(PresignConfig.class)
        .withDefaultValues(Map.of("presign.leader-election.enabled", String.valueOf(election)))
        .build()
        .getConfigMapping(PresignConfig.class);
  }
}
