package dev.presign.operator.policy;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One rule of the policy: which namespaces it covers (names and globs, or a label selector), and
 * what links there may be signed with the operator's identity.
 *
 * @param line where the rule starts in the policy file, for messages
 * @param namespaces empty when the rule selects namespaces by label
 * @param namespaceLabels the selector's matchLabels; empty when the rule names namespaces
 * @param keyPrefixes empty: any key
 * @param methods the methods the rule names; PUT allows POST too
 * @param maxExpiresIn empty: up to the CRD's own limit
 */
public record PolicyRule(
    int line,
    List<Glob> namespaces,
    Optional<Map<String, String>> namespaceLabels,
    List<Glob> buckets,
    List<KeyPrefix> keyPrefixes,
    Set<HttpMethod> methods,
    Optional<Duration> maxExpiresIn) {

  /** Whether the rule speaks about links of this namespace at all. */
  boolean covers(String namespace, Supplier<Map<String, String>> labels) {
    return namespaceLabels
        .map(selector -> labels.get().entrySet().containsAll(selector.entrySet()))
        .orElseGet(() -> namespaces.stream().anyMatch(glob -> glob.matches(namespace)));
  }

  /** The first thing about the access the rule does not allow; empty when it allows it all. */
  Optional<String> mismatch(RequestedAccess access) {
    if (buckets.stream().noneMatch(glob -> glob.matches(access.bucket()))) {
      return Optional.of("bucket " + access.bucket() + " matches none of " + buckets);
    }
    List<String> prefixes = keyPrefixes.stream().map(p -> p.in(access.namespace())).toList();
    if (!prefixes.isEmpty() && prefixes.stream().noneMatch(access.key()::startsWith)) {
      return Optional.of(
          "key "
              + access.key()
              + " starts with none of "
              + prefixes.stream().collect(Collectors.joining(", ", "[", "]")));
    }
    if (!allows(access.method())) {
      return Optional.of(
          "method "
              + access.method()
              + " is not one of "
              + methods
              + (access.method() == HttpMethod.POST ? " (POST is allowed by POST or PUT)" : ""));
    }
    return maxExpiresIn
        .filter(max -> access.expiresIn().compareTo(max) > 0)
        .map(max -> "expiresIn " + written(access.expiresIn()) + " is longer than " + written(max));
  }

  /**
   * A POST form uploads as a PUT URL does, only within limits: a rule that allows PUT allows POST,
   * and a rule may allow POST alone.
   */
  private boolean allows(HttpMethod method) {
    return methods.contains(method)
        || (method == HttpMethod.POST && methods.contains(HttpMethod.PUT));
  }

  /** A duration as the spec and the policy write it: 24h, 1h30m, 90s becomes 1m30s. */
  private static String written(Duration duration) {
    return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
