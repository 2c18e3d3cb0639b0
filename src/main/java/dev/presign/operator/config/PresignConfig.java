package dev.presign.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
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

  /**
   * The policy for links signed with the operator's own identity (R7): a YAML file of rules.
   * Absent: such links are permitted in every namespace, for every bucket, key and method.
   */
  Optional<Path> policyFile();

  /** How often the policy file is read again; a changed policy applies to all links at once. */
  @WithDefault("10s")
  Duration policyReloadInterval();

  /**
   * Label selector of the links this operator serves, in Kubernetes syntax ({@code shard=a}, {@code
   * shard in (a,b)}, {@code !shard}). Absent: every link of the watched namespaces. Several
   * operator Deployments, each with its own selector and Lease, split the links of one cluster; the
   * selectors must not overlap, or two operators would write the same Secret.
   */
  Optional<String> selector();

  /** Renewal jitter. */
  Jitter jitter();

  /**
   * STS sessions: the operator's IRSA identity and the roles of ServiceAccounts
   * (spec.credentials.serviceAccountName).
   */
  Sts sts();

  /** Leader election through a Lease, so that of several replicas only one acts. */
  LeaderElection leaderElection();

  /** Verification of new GET URLs (R11). */
  Verify verify();

  interface Jitter {
    /** Largest share of the renewal window by which a renewal is moved earlier. */
    @WithDefault("0.1")
    double maxFraction();

    /** Upper bound of the jitter, whatever the window. */
    @WithDefault("5m")
    Duration max();
  }

  interface Verify {
    /**
     * Whether each new GET URL is fetched once (its first byte) and the outcome reported as the
     * Verified condition. Off: no request to S3 at all, and no Verified condition.
     */
    @WithDefault("true")
    boolean enabled();

    /** How long one verification may take, connection included, before it counts Unreachable. */
    @WithDefault("5s")
    Duration timeout();

    /**
     * How many verifications run at once, on threads of their own: a slow endpoint delays only the
     * verifications queued behind it. Enough that S3's round trips keep pace with the API server's
     * writes in a burst (a cold start), so that reconciles find their outcome in time.
     */
    @WithDefault("16")
    int concurrency();

    /**
     * How long a reconcile waits for the verification of the URL it wrote, so that one status write
     * reports both; an outcome that comes later is written by a second one. A wait that runs out
     * stops the waiting until an outcome comes in time again. 0s: never wait.
     */
    @WithDefault("1s")
    Duration statusWait();
  }

  interface Sts {
    /**
     * Longest session asked of STS. A session lasts as long as the link's expiresIn, at least 15
     * minutes (the STS minimum) and at most this; the role's MaxSessionDuration must allow it.
     */
    @WithDefault("1h")
    Duration maxSessionDuration();

    /**
     * How long one STS call may take, connection included. A call that takes longer counts as
     * failed: links keep signing with the session in hand while it can serve them, and the call is
     * tried again within seconds.
     */
    @WithDefault("5s")
    Duration timeout();
  }

  interface LeaderElection {
    /**
     * Whether to take part in leader election. Off for a single replica, which then needs no Lease;
     * the Helm chart turns it on when it runs more than one.
     */
    @WithDefault("false")
    boolean enabled();

    /** Name of the Lease the replicas compete for. */
    @WithDefault("presign-operator-lease")
    String leaseName();

    /**
     * Namespace of the Lease: the operator's own (the chart passes the pod's namespace). Absent:
     * the namespace of the Kubernetes client configuration, in a pod its ServiceAccount's
     * namespace.
     */
    Optional<String> leaseNamespace();

    /** How long a leader holds the Lease without renewing it; also the longest handover. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up leading (and exits). */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often replicas try to take or renew the Lease. */
    @WithDefault("2s")
    Duration retryPeriod();
  }
}
