package dev.presign.operator.demo;

import dev.presign.operator.deploy.MockApiServer;
import dev.presign.operator.it.InstallCrd;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A Kubernetes API on 127.0.0.1: the Fabric8 mock server in CRUD mode, with the generated CRD
 * installed, whose watches start at the version the client names (WatchFromVersionDispatcher).
 * Plain HTTP, so that the operator and kubectl reach it through a kubeconfig without certificates.
 */
final class EmbeddedKubernetesApi implements AutoCloseable {

  private final KubernetesMockServer server;
  private final URI url;
  private final Path kubeconfig;
  private final KubernetesClient client;

  private EmbeddedKubernetesApi(
      KubernetesMockServer server, URI url, Path kubeconfig, KubernetesClient client) {
    this.server = server;
    this.url = url;
    this.kubeconfig = kubeconfig;
    this.client = client;
  }

  /** Starts the server and writes a kubeconfig for it to {@code kubeconfig}. */
  static EmbeddedKubernetesApi start(Path kubeconfig) throws IOException {
    return start(kubeconfig, 0);
  }

  /**
   * Starts the server on {@code port} of the loopback address (0: any free port) and writes a
   * kubeconfig for it to {@code kubeconfig}.
   */
  static EmbeddedKubernetesApi start(Path kubeconfig, int port) throws IOException {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new DiscoveryDispatcher(new WatchFromVersionDispatcher(expectations), InstallCrd.crd()),
            false);
    server.init(InetAddress.getLoopbackAddress(), port);
    try {
      // The server listens on the loopback address only; "localhost" may resolve to ::1 first.
      URI url = URI.create("http://127.0.0.1:" + server.getPort());
      String config = writeKubeconfig(kubeconfig, url);
      // The demo talks to the API as a user would: through the kubeconfig it hands out.
      KubernetesClient client =
          new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(config)).build();
      InstallCrd.into(client);
      return new EmbeddedKubernetesApi(server, url, kubeconfig, client);
    } catch (IOException | RuntimeException e) {
      server.destroy();
      throw e;
    }
  }

  /**
   * Answers the SelfSubjectRulesReview with which the SDK checks its Lease rights before leader
   * election, as RBAC would with the leader election Role; the CRUD mock cannot answer it.
   */
  EmbeddedKubernetesApi grantLeaseRights() {
    server
        .expect()
        .post()
        .withPath(MockApiServer.RULES_REVIEWS)
        .andReturn(201, MockApiServer.leaseRightsReview())
        .always();
    return this;
  }

  URI url() {
    return url;
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /** The server itself, whose record of requests tells what the operator asked. */
  KubernetesMockServer server() {
    return server;
  }

  KubernetesClient client() {
    return client;
  }

  /** Writes a kubeconfig for the API server at {@code url}, and returns it. */
  static String writeKubeconfig(Path kubeconfig, URI url) throws IOException {
    String config = kubeconfigFor(url);
    Files.writeString(kubeconfig, config);
    return config;
  }

  private static String kubeconfigFor(URI url) {
    return """
    apiVersion: v1
    kind: Config
    clusters:
      - name: presign-demo
        cluster:
          server: %s
    users:
      - name: presign-demo
        user:
          token: presign-demo
    contexts:
      - name: presign-demo
        context:
          cluster: presign-demo
          user: presign-demo
          namespace: default
    current-context: presign-demo
    """
        .formatted(url);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
