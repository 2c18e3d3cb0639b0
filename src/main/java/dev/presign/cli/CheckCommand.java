package dev.presign.cli;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check the set-up: the CRD and its served version, the operator's pods and Lease, whether it"
          + " handles the namespace's links, and what you may do with links. One line per finding.",
      "Exits 1 when something is wrong ([fail]); [warn] lines are worth knowing but not wrong."
    })
class CheckCommand implements Callable<Integer> {

  static final String[] VERBS = {"get", "list", "watch", "create", "patch", "delete"};

  @ParentCommand PresignCommand root;
  @Spec CommandSpec spec;

  @Option(
      names = "--operator-namespace",
      paramLabel = "NAMESPACE",
      defaultValue = "presign-system",
      description = "Where the operator runs (default: ${DEFAULT-VALUE}).")
  String operatorNamespace;

  @Option(
      names = "--lease",
      paramLabel = "NAME",
      defaultValue = "presign-operator-lease",
      description = "The operator's leader-election Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Finding> findings = new ArrayList<>();
    try (KubernetesClient client = root.kube().client()) {
      String namespace = root.kube().namespace(client);
      Finding crd = crd(client);
      findings.add(crd);
      print(out, crd);
      for (Finding finding : operator(client)) {
        findings.add(finding);
        print(out, finding);
      }
      List<Finding> access = access(client, namespace);
      if (crd.level() != Finding.Level.fail) {
        Finding links = links(client, namespace);
        findings.add(links);
        print(out, links);
      }
      access.forEach(f -> print(out, f));
      findings.addAll(access);
    } catch (KubernetesClientException e) {
      Finding unreachable = Finding.fail("API server: " + ApiErrors.describe(e));
      findings.add(unreachable);
      print(out, unreachable);
    }
    return ExitCode.worst(findings.stream().anyMatch(f -> f.level() == Finding.Level.fail));
  }

  private static void print(PrintWriter out, Finding finding) {
    out.println(finding.line());
    out.flush();
  }

  private Finding crd(KubernetesClient client) {
    APIGroup group = client.getApiGroup(PresignedObjectLink.GROUP);
    if (group == null) {
      return Finding.crd(List.of(), null);
    }
    List<String> versions =
        group.getVersions().stream().map(GroupVersionForDiscovery::getVersion).toList();
    String preferred =
        group.getPreferredVersion() == null ? null : group.getPreferredVersion().getVersion();
    return Finding.crd(versions, preferred);
  }

  private List<Finding> operator(KubernetesClient client) {
    List<Finding> findings = new ArrayList<>();
    List<Pod> pods;
    try {
      pods =
          client
              .pods()
              .inNamespace(operatorNamespace)
              .withLabel("app.kubernetes.io/name", "presign-operator")
              .list()
              .getItems();
      findings.add(Finding.pods(operatorNamespace, pods));
    } catch (KubernetesClientException e) {
      if (!ApiErrors.isForbidden(e)) {
        throw e;
      }
      findings.add(
          Finding.warn(
              "operator: you may not list pods in " + operatorNamespace + ", so cannot tell"));
      pods = null;
    }
    try {
      Lease lease = client.leases().inNamespace(operatorNamespace).withName(leaseName).get();
      findings.add(
          Finding.lease(
              operatorNamespace,
              leaseName,
              lease,
              pods == null ? 1 : pods.size(),
              root.clock().instant()));
    } catch (KubernetesClientException e) {
      if (!ApiErrors.isForbidden(e)) {
        throw e;
      }
      findings.add(
          Finding.warn("operator: you may not read Lease " + operatorNamespace + "/" + leaseName));
    }
    return findings;
  }

  private Finding links(KubernetesClient client, String namespace) {
    try {
      List<LinkFacts> links =
          Links.list(client, namespace, null).stream().map(LinkFacts::of).toList();
      return Finding.observed("in namespace " + namespace, links);
    } catch (KubernetesClientException e) {
      if (!ApiErrors.isForbidden(e)) {
        throw e;
      }
      return Finding.warn("links: you may not list links in namespace " + namespace);
    }
  }

  private static List<Finding> access(KubernetesClient client, String namespace) {
    List<String> allowed = new ArrayList<>();
    for (String verb : VERBS) {
      if (allowed(client, namespace, PresignedObjectLink.GROUP, "presignedobjectlinks", verb)) {
        allowed.add(verb);
      }
    }
    return Finding.access(namespace, allowed, allowed(client, namespace, "", "secrets", "get"));
  }

  private static boolean allowed(
      KubernetesClient client, String namespace, String group, String resource, String verb) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withGroup(group)
            .withResource(resource)
            .withVerb(verb)
            .endResourceAttributes()
            .endSpec()
            .build();
    SelfSubjectAccessReview answer =
        client.authorization().v1().selfSubjectAccessReview().create(review);
    return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }
}
