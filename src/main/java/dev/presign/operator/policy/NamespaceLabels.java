package dev.presign.operator.policy;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The labels of the cluster's namespaces, for the rules that select namespaces by label (R7). The
 * policy reads them only while such a rule exists; where they come from (a watch of namespaces, in
 * the reconciler) is no business of the policy, which stays free of the Kubernetes client.
 */
public interface NamespaceLabels {

  /**
   * Starts reading the labels.
   *
   * @param changed hears the name of each namespace that appears or whose labels change
   * @throws IllegalStateException when the labels cannot be read (RBAC)
   */
  void start(Consumer<String> changed);

  /** The labels of {@code namespace}; empty when it is unknown. */
  Map<String, String> of(String namespace);

  /** Stops reading the labels. */
  void stop();
}
