package dev.presign.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The operator's configuration: properties under {@code presign.*}, or PRESIGN_* variables. */
@ConfigMapping(prefix = "presign")
public interface PresignConfig {

  /**
   * Region used for links without spec.region. Absent: the AWS SDK region chain (AWS_REGION,
   * profile, instance metadata), then us-east-1.
   */
  Optional<String> region();

  /** Renewal jitter. */
  Jitter jitter();

  interface Jitter {
    /** Largest share of the renewal window by which a renewal is moved earlier. */
    @WithDefault("0.1")
    double maxFraction();

    /** Upper bound of the jitter, whatever the window. */
    @WithDefault("5m")
    Duration max();
  }
}
