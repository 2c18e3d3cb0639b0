package dev.presign.operator.config;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The operator's Kubernetes client: Quarkus' own (its configuration, serialization and Vert.x),
 * except that its TLS connections offer ChaCha20-Poly1305 first ({@link ChaCha20FirstSslContext}).
 */
@ApplicationScoped
public class ApiServerClientProducer {

  @Produces
  @Singleton
  KubernetesClient kubernetesClient(
      KubernetesSerialization serialization, Config config, Vertx vertx) {
    return build(serialization, config, vertx);
  }

  /** The client the operator uses, on Vert.x instance that it does not close. */
  public static KubernetesClient build(
      KubernetesSerialization serialization, Config config, Vertx vertx) {
    return new KubernetesClientBuilder()
        .withKubernetesSerialization(serialization)
        .withConfig(config)
        .withHttpClientFactory(new ChaCha20FirstFactory(vertx))
        .build();
  }

  void close(@Disposes KubernetesClient client) {
    client.close();
  }

  private static final class ChaCha20FirstFactory extends VertxHttpClientFactory {
    private final Vertx vertx;

    ChaCha20FirstFactory(Vertx vertx) {
      super(vertx);
      this.vertx = vertx;
    }

    @Override
    public VertxHttpClientBuilder<VertxHttpClientFactory> newBuilder() {
      return new ChaCha20FirstBuilder(this, vertx);
    }
  }

  private static final class ChaCha20FirstBuilder
      extends VertxHttpClientBuilder<VertxHttpClientFactory> {
    private final Vertx vertx;

    ChaCha20FirstBuilder(VertxHttpClientFactory factory, Vertx vertx) {
      super(factory, vertx);
      this.vertx = vertx;
    }

    @Override
    public ChaCha20FirstBuilder sslContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
      super.sslContext(keyManagers, trustManagers);

      sslContext = ChaCha20FirstSslContext.wrap(sslContext);
      return this;
    }

    @Override
    protected ChaCha20FirstBuilder newInstance(VertxHttpClientFactory factory) {
      return new ChaCha20FirstBuilder(factory, vertx);
    }
  }
}
