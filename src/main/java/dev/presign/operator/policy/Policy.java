package dev.presign.operator.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Who may sign what with the operator's own identity (R7): a link is permitted when one rule covers
 * its namespace and allows its bucket, key, method and lifetime.
 *
 * @param source where the rules come from, for messages
 */
public record Policy(String source, List<PolicyRule> rules) {

  /**
   * Why the access is not permitted; empty when it is.
   *
   * @param namespaceLabels labels of a namespace; asked only when a rule selects by label
   */
  public Optional<String> denial(
      RequestedAccess access, Function<String, Map<String, String>> namespaceLabels) {
    Supplier<Map<String, String>> labels = () -> namespaceLabels.apply(access.namespace());
    List<PolicyRule> covering =
        rules.stream().filter(rule -> rule.covers(access.namespace(), labels)).toList();
    if (covering.isEmpty()) {
      return Optional.of(
          "no rule of the operator's policy covers namespace "
              + access.namespace()
              + "; sign with spec.credentials or ask for a policy rule");
    }
    List<String> mismatches = new ArrayList<>();
    for (PolicyRule rule : covering) {
      Optional<String> mismatch = rule.mismatch(access);
      if (mismatch.isEmpty()) {
        return Optional.empty();
      }
      mismatches.add("rule at line " + rule.line() + ": " + mismatch.get());
    }
    // Only the rules of the link's own namespace are quoted: tenants learn nothing of the others.
    return Optional.of(
        "the operator's policy does not permit this link: " + String.join("; ", mismatches));
  }

  /** Whether a rule needs namespace labels, which the operator then has to watch. */
  public boolean selectsNamespacesByLabel() {
    return rules.stream().anyMatch(rule -> rule.namespaceLabels().isPresent());
  }
}
