package dev.presign.operator.deploy;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the operator does on the API server, and so what its ClusterRole (or per-namespace Role)
 * must grant: no more, no less. Each entry names the code that needs it.
 */
final class OperatorPermissions {

  /** One verb on one resource ("secrets", "presignedobjectlinks/status") of one API group. */
  record Permission(String group, String resource, String verb) implements Comparable<Permission> {
    @Override
    public int compareTo(Permission other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb;
    }
  }

  static final Set<Permission> REQUIRED =
      new TreeSet<>(
          List.of(
              // The controller's informer lists and watches links; none is read by name, so no
              // get (which list would make pointless anyway).
              new Permission("presign.dev", "presignedobjectlinks", "list"),
              new Permission("presign.dev", "presignedobjectlinks", "watch"),
              // UpdateControl.patchStatus / ErrorStatusUpdateControl.patchStatus (JSON patch).
              new Permission("presign.dev", "presignedobjectlinks/status", "patch"),
              // No request of its own: owner-reference enforcement (OpenShift, hardened clusters)
              // asks it of a Secret write whose ownerReference sets blockOwnerDeletion
              // (OperatorRequests counts it there).
              new Permission("presign.dev", "presignedobjectlinks/finalizers", "update"),
              // LinkSecrets.owned and CredentialsResolver (secretRef) read one Secret by name.
              new Permission("", "secrets", "get"),
              // The Secret informer (label app.kubernetes.io/managed-by=presign-operator).
              new Permission("", "secrets", "list"),
              new Permission("", "secrets", "watch"),
              // LinkSecrets.write: create, or update with the resourceVersion it read.
              new Permission("", "secrets", "create"),
              new Permission("", "secrets", "update"),
              // LinkSecrets.deleteOthers: the old Secret after secretTemplate.name changed.
              new Permission("", "secrets", "delete"),
              // LinkEvents.record: each event is created, never patched.
              new Permission("", "events", "create"),
              // RestartTargets.restart reads the workload, then merge-patches the pod template's
              // annotations; LinkConsumers watches the workloads' pod templates, read-only, for
              // readers that never see a new URL (SecretReaders).
              new Permission("apps", "deployments", "get"),
              new Permission("apps", "deployments", "list"),
              new Permission("apps", "deployments", "watch"),
              new Permission("apps", "deployments", "patch"),
              new Permission("apps", "statefulsets", "get"),
              new Permission("apps", "statefulsets", "list"),
              new Permission("apps", "statefulsets", "watch"),
              new Permission("apps", "statefulsets", "patch"),
              new Permission("apps", "daemonsets", "get"),
              new Permission("apps", "daemonsets", "list"),
              new Permission("apps", "daemonsets", "watch"),
              new Permission("apps", "daemonsets", "patch"),
              new Permission("batch", "cronjobs", "list"),
              new Permission("batch", "cronjobs", "watch"),
              // ServiceAccountSessions (credentials.serviceAccountName, DESIGN §4): read the
              // ServiceAccount's role annotation, then a TokenRequest for audience
              // sts.amazonaws.com.
              new Permission("", "serviceaccounts", "get"),
              new Permission("", "serviceaccounts/token", "create")));

  /**
   * Leader election, in a Role of the operator's own namespace. The client's LeaseLock reads,
   * creates and patches the Lease; the SDK refuses to start unless it may also update it
   * (LeaderElectionManager.checkLeaseAccess).
   */
  static final Set<Permission> LEASES =
      new TreeSet<>(
          List.of(
              new Permission("coordination.k8s.io", "leases", "get"),
              new Permission("coordination.k8s.io", "leases", "create"),
              new Permission("coordination.k8s.io", "leases", "update"),
              new Permission("coordination.k8s.io", "leases", "patch")));

  /**
   * Only with a policy rule that has a namespaceSelector: SigningPolicy's informer of namespace
   * labels. Cluster-scoped, so granted by a ClusterRole of its own.
   */
  static final Set<Permission> NAMESPACE_LABELS =
      new TreeSet<>(
          List.of(
              new Permission("", "namespaces", "list"), new Permission("", "namespaces", "watch")));

  private OperatorPermissions() {}

  /** The permissions a set of RBAC rules grants, one per (group, resource, verb). */
  static Set<Permission> granted(Collection<PolicyRule> rules) {
    Set<Permission> granted = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            granted.add(new Permission(group, resource, verb));
          }
        }
      }
    }
    return granted;
  }
}
