package dev.presign.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options kubectl passes on to its plugins' users: which kubeconfig, which context, which
 * namespace. Inherited by every command, so they go before or after the command's name.
 */
public class KubeOptions {

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
  File kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "The kubeconfig context to use (default: its current context).")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      scope = ScopeType.INHERIT,
      description = "The namespace of the links (default: the context's namespace, or default).")
  String namespace;

  @Option(
      names = "--request-timeout",
      paramLabel = "SECONDS",
      scope = ScopeType.INHERIT,
      defaultValue = "10",
      description =
          "How long to wait for one answer of the API server (default: ${DEFAULT-VALUE}).")
  int requestTimeoutSeconds;

  /** The client configuration: the kubeconfig and context named, or kubectl's defaults. */
  public Config config() {
    Config config =
        kubeconfig != null
            ? Config.fromKubeconfig(context, kubeconfig)
            : Config.autoConfigure(context);
    // A CLI reports an unreachable or refusing server at once rather than retrying for a minute.
    config.setRequestRetryBackoffLimit(0);
    config.setConnectionTimeout(requestTimeoutSeconds * 1000);
    config.setRequestTimeout(requestTimeoutSeconds * 1000);
    return config;
  }

  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** The namespace asked for, else the context's, else default. */
  public String namespace(KubernetesClient client) {
    if (namespace != null && !namespace.isBlank()) {
      return namespace;
    }
    String fromContext = client.getConfiguration().getNamespace();
    return fromContext == null || fromContext.isBlank() ? "default" : fromContext;
  }
}
