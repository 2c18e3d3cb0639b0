package dev.presign.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.util.List;
import java.util.Optional;

/** Completion's answers from the cluster (and kubeconfig) the typed words name. */
final class ClusterLookup implements Completion.Lookup {

  private final KubeOptions kube;

  private ClusterLookup(KubeOptions kube) {
    this.kube = kube;
  }

  /** A lookup through the --kubeconfig and --context among the typed words, if any. */
  static ClusterLookup from(List<String> words) {
    KubeOptions kube = new KubeOptions();
    kube.requestTimeoutSeconds = 3;
    for (int i = 0; i < words.size() - 1; i++) {
      String word = words.get(i);
      String next = words.get(i + 1);
      if (word.equals("--kubeconfig")) {
        kube.kubeconfig = new File(next);
      } else if (word.equals("--context")) {
        kube.context = next;
      }
    }
    for (String word : words) {
      if (word.startsWith("--kubeconfig=")) {
        kube.kubeconfig = new File(word.substring("--kubeconfig=".length()));
      } else if (word.startsWith("--context=")) {
        kube.context = word.substring("--context=".length());
      }
    }
    return new ClusterLookup(kube);
  }

  @Override
  public List<String> links(String namespace) {
    try (KubernetesClient client = kube.client()) {
      String in = namespace != null ? namespace : kube.namespace(client);
      return names(Links.of(client).inNamespace(in).list().getItems());
    }
  }

  @Override
  public List<String> namespaces() {
    try (KubernetesClient client = kube.client()) {
      return names(client.namespaces().list().getItems());
    }
  }

  @Override
  public List<String> contexts() {
    return Optional.ofNullable(kube.config().getContexts()).orElse(List.of()).stream()
        .map(NamedContext::getName)
        .toList();
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).toList();
  }
}
