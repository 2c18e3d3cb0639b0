package dev.presign.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One line of {@code kubectl presign check}: ok, a warning (worth knowing, not wrong) or a failure
 * (exit 1).
 */
public record Finding(Level level, String text) {

  public enum Level {
    ok,
    warn,
    fail
  }

  /** How far past its duration a Lease may be renewed late before its leader counts as gone. */
  static final Duration LEASE_SLACK = Duration.ofSeconds(5);

  static Finding ok(String text) {
    return new Finding(Level.ok, text);
  }

  static Finding warn(String text) {
    return new Finding(Level.warn, text);
  }

  static Finding fail(String text) {
    return new Finding(Level.fail, text);
  }

  /** "[ok] text", aligned. */
  public String line() {
    return String.format("%-6s %s", "[" + level + "]", text);
  }

  /** The CRD as discovery serves it: the plugin speaks v1alpha1. */
  static Finding crd(List<String> servedVersions, String preferred) {
    if (servedVersions.isEmpty()) {
      return fail(
          "CRD presignedobjectlinks.presign.dev is not installed: the API server serves no"
              + " presign.dev versions (install crds/ or the Helm chart)");
    }
    String served = String.join(", ", servedVersions);
    if (!servedVersions.contains("v1alpha1")) {
      return fail(
          "CRD presignedobjectlinks.presign.dev serves "
              + served
              + ", not v1alpha1, the version this plugin speaks");
    }
    return ok(
        "CRD presignedobjectlinks.presign.dev installed, serving "
            + served
            + (preferred == null ? "" : " (preferred " + preferred + ")"));
  }

  /** The operator's pods: at least one, all ready. */
  static Finding pods(String namespace, List<Pod> pods) {
    if (pods.isEmpty()) {
      return fail(
          "operator: no pods labelled app.kubernetes.io/name=presign-operator in namespace "
              + namespace
              + " (another namespace? --operator-namespace)");
    }
    List<String> notReady = pods.stream().filter(p -> !isReady(p)).map(Finding::name).toList();
    String counted = (pods.size() - notReady.size()) + " of " + pods.size() + " pods ready";
    if (!notReady.isEmpty()) {
      return fail(
          "operator: "
              + counted
              + " in "
              + namespace
              + "; not ready: "
              + String.join(", ", notReady));
    }
    return ok(
        "operator: "
            + counted
            + " in "
            + namespace
            + " ("
            + pods.stream().map(Finding::name).collect(Collectors.joining(", "))
            + ")");
  }

  /**
   * The leader's Lease: held, and renewed within its duration. Without a Lease one replica acts
   * alone (leader election is off for a single replica), which is only right with one pod.
   */
  static Finding lease(String namespace, String name, Lease lease, int pods, Instant now) {
    String id = "Lease " + namespace + "/" + name;
    if (lease == null) {
      return pods <= 1
          ? ok("no " + id + ": leader election is off, the one replica acts")
          : fail(id + " not found, yet " + pods + " replicas run: none of them can lead");
    }
    String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    if (holder == null || holder.isBlank()) {
      return fail(id + " is held by no one: no replica is acting on links");
    }
    Instant renewed =
        Optional.ofNullable(lease.getSpec().getRenewTime()).map(t -> t.toInstant()).orElse(null);
    if (renewed == null) {
      return fail(id + " held by " + holder + " was never renewed");
    }
    Duration duration =
        Duration.ofSeconds(
            Optional.ofNullable(lease.getSpec().getLeaseDurationSeconds()).orElse(15));
    String ago = RelativeTime.of(renewed, now);
    if (renewed.plus(duration).plus(LEASE_SLACK).isBefore(now)) {
      return fail(
          id
              + " held by "
              + holder
              + " was last renewed "
              + ago
              + " (lease duration "
              + RelativeTime.span(duration)
              + "): its leader has stopped");
    }
    return ok(id + " held by " + holder + ", renewed " + ago);
  }

  /** What the current user may do with links (and their Secrets) in a namespace. */
  static List<Finding> access(String namespace, List<String> allowed, boolean secrets) {
    Finding links =
        allowed.isEmpty()
            ? warn("you may do nothing with presignedobjectlinks in namespace " + namespace)
            : ok(
                "you may "
                    + String.join(", ", allowed)
                    + " presignedobjectlinks in namespace "
                    + namespace);
    Finding secret =
        secrets
            ? ok("you may get secrets in namespace " + namespace + ": `url` can print URLs")
            : warn(
                "you may not get secrets in namespace "
                    + namespace
                    + ": `url` cannot print URLs there (status and rotate work without)");
    return List.of(links, secret);
  }

  /** Whether the operator has handled every link's latest spec. */
  static Finding observed(String scope, List<LinkFacts> links) {
    List<String> behind =
        links.stream().filter(l -> !l.observed()).map(l -> l.namespace() + "/" + l.name()).toList();
    if (links.isEmpty()) {
      return ok("no links " + scope);
    }
    if (!behind.isEmpty()) {
      return warn(
          behind.size()
              + " of "
              + links.size()
              + " links "
              + scope
              + " not yet handled by the operator: "
              + String.join(", ", behind));
    }
    long ready = links.stream().filter(l -> l.ready().isTrue()).count();
    return ok(
        links.size() + " links " + scope + ", all handled by the operator, " + ready + " Ready");
  }

  private static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }
}
