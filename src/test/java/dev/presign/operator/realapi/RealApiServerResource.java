package dev.presign.operator.realapi;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Points the operator of a {@code @QuarkusTest} at a {@link RealApiServer}, as
 * {@code @WithKubernetesTestServer} points it at the Fabric8 mock: started before the operator,
 * stopped after the test class. Init arguments (all optional):
 *
 * <ul>
 *   <li>{@value #API_SERVER_FLAGS}: extra kube-apiserver flags, separated by spaces;
 *   <li>{@value #SETUP}: a {@code Consumer<RealApiServer>} class, run before the operator starts
 *       (namespaces, RBAC);
 *   <li>{@value #OPERATOR_SERVICE_ACCOUNT}: {@code namespace/name}: the operator authenticates as
 *       this ServiceAccount (a TokenRequest token), not as an admin, so RBAC decides what it may
 *       do.
 * </ul>
 */
public class RealApiServerResource implements QuarkusTestResourceLifecycleManager {

  public static final String API_SERVER_FLAGS = "api-server-flags";
  public static final String SETUP = "setup";
  public static final String OPERATOR_SERVICE_ACCOUNT = "operator-service-account";

  /** Fabric8 reads these when it configures a client; off, so no local kubeconfig leaks in. */
  private static final Map<String, String> CLIENT_SYSTEM_PROPERTIES =
      Map.of(
          "kubernetes.auth.tryKubeConfig", "false", "kubernetes.auth.tryServiceAccount", "false");

  /** The prefixes of the system properties the mock API server's test resource sets. */
  private static final List<String> LEFT_BY_MOCK =
      List.of("kubernetes.", "quarkus.tls.", "quarkus.kubernetes-client.", "http2.disable");

  private static RealApiServer server;

  private final Map<String, String> previousProperties = new HashMap<>();
  private String[] flags = new String[0];
  private String setup;
  private String operatorServiceAccount;

  /** The running server of the current test class. */
  public static RealApiServer server() {
    if (server == null) {
      throw new IllegalStateException("RealApiServerResource is not started");
    }
    return server;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    String flagList = initArgs.getOrDefault(API_SERVER_FLAGS, "").trim();
    flags = flagList.isEmpty() ? new String[0] : flagList.split("\\s+");
    setup = initArgs.get(SETUP);
    operatorServiceAccount = initArgs.get(OPERATOR_SERVICE_ACCOUNT);
  }

  @Override
  public Map<String, String> start() {
    server = RealApiServer.start(flags);
    if (setup != null) {
      runSetup(setup);
    }
    // A mock API server of an earlier test class leaves its client settings as system properties
    // for the rest of the JVM (quarkus-test-kubernetes-client sets them and never clears them):
    // Fabric8 and Quarkus would build the operator's client from them, with the gone mock's URL
    // and without the client certificate. They are set aside while this server runs.
    for (String name : System.getProperties().stringPropertyNames()) {
      if (LEFT_BY_MOCK.stream().anyMatch(name::startsWith)) {
        previousProperties.put(name, System.clearProperty(name));
      }
    }
    Map<String, String> properties = new HashMap<>(CLIENT_SYSTEM_PROPERTIES);
    // The operator's client takes them too, whatever came before in this JVM.
    properties.put(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, server.url());
    properties.put(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "default");
    properties.put(
        Config.KUBERNETES_CA_CERTIFICATE_FILE_SYSTEM_PROPERTY,
        server.adminConfig().getCaCertFile());
    properties.forEach(
        (name, value) -> previousProperties.putIfAbsent(name, System.setProperty(name, value)));
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.kubernetes-client.api-server-url", server.url());
    config.put("quarkus.kubernetes-client.ca-cert-file", server.adminConfig().getCaCertFile());
    config.put("quarkus.kubernetes-client.trust-certs", "false");
    if (operatorServiceAccount == null) {
      config.put(
          "quarkus.kubernetes-client.client-cert-file", server.adminConfig().getClientCertFile());
      config.put(
          "quarkus.kubernetes-client.client-key-file", server.adminConfig().getClientKeyFile());
      setProperty(
          Config.KUBERNETES_CLIENT_CERTIFICATE_FILE_SYSTEM_PROPERTY,
          server.adminConfig().getClientCertFile());
      setProperty(
          Config.KUBERNETES_CLIENT_KEY_FILE_SYSTEM_PROPERTY,
          server.adminConfig().getClientKeyFile());
    } else {
      String[] account = operatorServiceAccount.split("/", 2);
      String token = server.serviceAccountToken(account[0], account[1], Duration.ofHours(2));
      config.put("quarkus.kubernetes-client.token", token);
      setProperty(Config.KUBERNETES_OAUTH_TOKEN_SYSTEM_PROPERTY, token);
    }
    return config;
  }

  private void setProperty(String name, String value) {
    previousProperties.putIfAbsent(name, System.setProperty(name, value));
  }

  @Override
  public void stop() {
    previousProperties.forEach(
        (name, value) -> {
          if (value == null) {
            System.clearProperty(name);
          } else {
            System.setProperty(name, value);
          }
        });
    previousProperties.clear();
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @SuppressWarnings("unchecked")
  private static void runSetup(String className) {
    try {
      Class<?> type = Class.forName(className, true, RealApiServerResource.class.getClassLoader());
      ((Consumer<RealApiServer>) type.getDeclaredConstructor().newInstance()).accept(server);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot run setup " + className, e);
    }
  }
}
