package dev.presign.operator.realapi;

import static org.awaitility.Awaitility.await;

import dev.presign.operator.it.InstallCrd;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.process.KubeAPIServerProcess;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real Kubernetes API server for tests: kube-apiserver and etcd as child processes through
 * io.fabric8:kube-api-test (the Java counterpart of controller-runtime's envtest), both on
 * 127.0.0.1 only (etcd through {@link LoopbackEtcd}), RBAC on, and the CRD of crds/ installed and
 * established. Clients authenticate as an admin (kube-api-test's client certificate, group
 * system:masters) or as a ServiceAccount with a token from the TokenRequest API, which RBAC then
 * governs.
 *
 * <p>The version is pinned: kube-api-test uses ~/.kubeapitest/k8s/1.32.13-linux-amd64/ when it is
 * there (laid out by ../shared/kube-api-test/install on machines without internet) and downloads
 * that version otherwise.
 */
public final class RealApiServer implements AutoCloseable {

  /** The Kubernetes version the tier runs on. */
  public static final String VERSION = "1.32.13";

  private static final Logger LOG = Logger.getLogger(RealApiServer.class);

  private final KubeAPIServer server;
  private final String kubeconfigYaml;
  private final Config adminConfig;
  private final KubernetesClient client;
  private final List<Process> restarted = new ArrayList<>();
  private List<String> apiServerCommand;

  private RealApiServer(KubeAPIServer server) {
    this.server = server;
    this.kubeconfigYaml = server.getKubeConfigYaml();
    this.adminConfig = fromKubeconfigOnly(kubeconfigYaml);
    this.client = new KubernetesClientBuilder().withConfig(adminConfig).build();
  }

  /**
   * Starts etcd and kube-apiserver, with extra API server flags such as {@code
   * --enable-admission-plugins=OwnerReferencesPermissionEnforcement}, and installs the CRD.
   */
  public static RealApiServer start(String... apiServerFlags) {
    KubeAPIServerConfigBuilder config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withApiServerVersion(VERSION)
            .withUpdateKubeConfig(false)
            .withApiServerFlag("--bind-address", "127.0.0.1");
    for (String flag : apiServerFlags) {
      int equals = flag.indexOf('=');
      if (equals < 0) {
        config.withApiServerFlag(flag);
      } else {
        config.withApiServerFlag(flag.substring(0, equals), flag.substring(equals + 1));
      }
    }
    KubeAPIServer server = new KubeAPIServer(config.build());
    setField(server, "etcdProcess", new LoopbackEtcd(field(server, "binaryManager")));
    long startedAt = System.nanoTime();
    try {
      server.start();
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
    RealApiServer started = new RealApiServer(server);
    LOG.infof(
        "kube-api-test started kube-apiserver v%s and etcd at %s in %d ms",
        VERSION, started.url(), (System.nanoTime() - startedAt) / 1_000_000);
    try {
      started.installCrd(InstallCrd.crd());
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** A client with cluster-admin rights (kube-api-test's client certificate, system:masters). */
  public KubernetesClient client() {
    return client;
  }

  /** The admin client's configuration, for clients of one's own (another namespace, timeouts). */
  public Config adminConfig() {
    return new ConfigBuilder(adminConfig).build();
  }

  /** The server's URL, https://127.0.0.1:port. */
  public String url() {
    return adminConfig.getMasterUrl();
  }

  /** The admin kubeconfig (certificate files under ~/.kubeapitest), as kubectl reads it. */
  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** Writes the admin kubeconfig to {@code file} and returns it. */
  public Path writeKubeconfig(Path file) {
    return write(file, kubeconfigYaml);
  }

  /** Writes a kubeconfig that authenticates with {@code token} (no client certificate). */
  public Path writeKubeconfig(Path file, String token) {
    return write(file, kubeconfigYamlForToken(token));
  }

  /** A kubeconfig for this server that authenticates with a bearer token. */
  public String kubeconfigYamlForToken(String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: real-api
            cluster:
              server: %s
              certificate-authority: %s
        users:
          - name: token
            user:
              token: %s
        contexts:
          - name: real-api
            context: {cluster: real-api, user: token, namespace: default}
        current-context: real-api
        """
        .formatted(url(), adminConfig.getCaCertFile(), token);
  }

  /** A client that authenticates with {@code token}: what RBAC grants its owner, nothing more. */
  public KubernetesClient clientWithToken(String token) {
    return new KubernetesClientBuilder().withConfig(configWithToken(token)).build();
  }

  /** The configuration of {@link #clientWithToken}, for clients of one's own (timeouts, pools). */
  public Config configWithToken(String token) {
    return fromKubeconfigOnly(kubeconfigYamlForToken(token));
  }

  /**
   * Creates the namespace and ServiceAccount if missing and returns a token for it from the
   * TokenRequest API, valid for {@code lifetime} (the API server's minimum is 10 minutes).
   */
  public String serviceAccountToken(String namespace, String name, Duration lifetime) {
    createNamespace(namespace);
    if (client.serviceAccounts().inNamespace(namespace).withName(name).get() == null) {
      client
          .serviceAccounts()
          .inNamespace(namespace)
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
    return client
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(lifetime.toSeconds())
                .endSpec()
                .build())
        .getStatus()
        .getToken();
  }

  /** Creates a namespace unless it exists. */
  public void createNamespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  /**
   * Installs (or replaces) a CustomResourceDefinition and waits until the server serves it, so that
   * the next request of that kind is validated by it.
   */
  public void installCrd(CustomResourceDefinition crd) {
    crd.getMetadata().setResourceVersion(null);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .get()
                    .getStatus()
                    .getConditions()
                    .stream()
                    .anyMatch(
                        c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  /**
   * Stops the kube-apiserver process (SIGKILL, as a crash or a node loss would); etcd keeps running
   * with everything stored. Clients get connection refused until {@link #restartApiServer()}.
   */
  public synchronized void stopApiServer() {
    if (apiServerCommand != null) {
      throw new IllegalStateException("the API server is stopped already");
    }
    if (restarted.isEmpty()) {
      // kube-api-test has no restart. Its KubeAPIServerProcess keeps the process private, and
      // startApiServer(etcdPort) would pick a new random port, which clients holding the old URL
      // never find. So: read the command line of the running kube-apiserver (the JDK reads
      // /proc/<pid>/cmdline: its exact arguments, with --secure-port and --etcd-servers), stop it
      // through kube-api-test's own stopApiServer() (which marks it stopped first, so that its
      // exit handler does not take the exit for a crash and stop etcd too), and later start the
      // same command again: same port, same etcd, same certificates. kube-apiserver sets
      // SO_REUSEADDR, so the port is free again at once.
      KubeAPIServerProcess process = field(server, "kubeApiServerProcess");
      Process running = field(process, "apiServerProcess");
      apiServerCommand = commandLine(running);
      process.stopApiServer();
    } else {
      Process running = restarted.get(restarted.size() - 1);
      apiServerCommand = commandLine(running);
      running.destroyForcibly();
      waitFor(running);
    }
  }

  /**
   * Starts kube-apiserver again after {@link #stopApiServer()}, with the same command (port, etcd,
   * certificates, flags), and waits until it is ready; watches of clients resume from etcd's
   * resource versions.
   */
  public synchronized void restartApiServer() {
    if (apiServerCommand == null) {
      throw new IllegalStateException("the API server is running");
    }
    try {
      Path log = Files.createTempFile("kube-apiserver-restarted", ".log");
      log.toFile().deleteOnExit();
      Process process =
          new ProcessBuilder(apiServerCommand)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      restarted.add(process);
      apiServerCommand = null;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "kube-apiserver exited on restart:\n" + Files.readString(log));
                }
                return "ok".equals(client.raw("/readyz"));
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the API server and etcd, and deletes etcd's data. */
  @Override
  public synchronized void close() {
    client.close();
    for (Process process : restarted) {
      process.destroyForcibly();
      waitFor(process);
    }
    server.stop();
  }

  /**
   * A client configuration from the kubeconfig alone. Config.fromKubeconfig applies Fabric8's
   * system properties on top, and the mock API server's test resource leaves kubernetes.master and
   * others set for the rest of the test JVM, which would send these clients to a mock long gone.
   */
  private static Config fromKubeconfigOnly(String kubeconfigYaml) {
    io.fabric8.kubernetes.api.model.Config kubeconfig =
        Serialization.unmarshal(kubeconfigYaml, io.fabric8.kubernetes.api.model.Config.class);
    Cluster cluster = kubeconfig.getClusters().get(0).getCluster();
    AuthInfo user = kubeconfig.getUsers().get(0).getUser();
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(cluster.getServer())
        .withCaCertFile(cluster.getCertificateAuthority())
        .withClientCertFile(user.getClientCertificate())
        .withClientKeyFile(user.getClientKey())
        .withOauthToken(user.getToken())
        .withNamespace("default")
        .build();
  }

  private static List<String> commandLine(Process process) {
    ProcessHandle.Info info = process.info();
    List<String> command = new ArrayList<>();
    command.add(info.command().orElseThrow(() -> new IllegalStateException("no command")));
    command.addAll(List.of(info.arguments().orElseThrow()));
    return command;
  }

  private static void waitFor(Process process) {
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T field(Object owner, String name) {
    try {
      Field field = owner.getClass().getDeclaredField(name);
      field.setAccessible(true);
      return (T) field.get(owner);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "kube-api-test " + owner.getClass().getName() + " has no field " + name, e);
    }
  }

  private static void setField(Object owner, String name, Object value) {
    try {
      Field field = owner.getClass().getDeclaredField(name);
      field.setAccessible(true);
      field.set(owner, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "kube-api-test " + owner.getClass().getName() + " has no field " + name, e);
    }
  }

  private static Path write(Path file, String content) {
    try {
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
