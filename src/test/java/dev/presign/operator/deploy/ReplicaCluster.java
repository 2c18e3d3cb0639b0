package dev.presign.operator.deploy;

import dev.presign.operator.config.PresignConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A mock API server in CRUD mode, with the static keys Secret of one namespace, and operators
 * started against it, each a plain SDK Operator with its own client running the production
 * reconciler as {@link Replica} wires it. Closing it stops them all and the server.
 */
final class ReplicaCluster implements AutoCloseable {

  private final KubernetesServer server =
      new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
  private final List<Operator> started = new ArrayList<>();
  private final KubernetesClient client;

  /**
   * @param setup the server's CRD and rights, such as {@link MockApiServer}
   */
  ReplicaCluster(Consumer<KubernetesServer> setup, String namespace) {
    server.before();
    setup.accept(server);
    client = MockApiServer.testClient(server);
    client.resource(MockApiServer.keys(namespace)).create();
  }

  /** The test's own client (its requests are told apart from the operators'). */
  KubernetesClient client() {
    return client;
  }

  KubernetesServer server() {
    return server;
  }

  /** An operator on a client of its own; {@code overrides} add to its SDK configuration. */
  Operator start(
      PresignConfig config,
      PrometheusMeterRegistry registry,
      Consumer<ConfigurationServiceOverrider> overrides) {
    KubernetesClient operatorClient = server.getKubernetesMockServer().createClient();
    var reconciler = Replica.reconciler(operatorClient, config, registry);
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(operatorClient)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false);
              overrides.accept(o);
            });
    operator.register(reconciler, reconciler::updateConfigurationFrom);
    operator.start();
    started.add(operator);
    return operator;
  }

  @Override
  public void close() {
    started.forEach(Operator::stop);
    client.close();
    server.after();
  }
}
