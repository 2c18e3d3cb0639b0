package dev.presign.operator.realapi;

import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.demo.OperatorProcess;
import dev.presign.operator.it.RangeStandIn;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold start of the packaged operator with N links already stored on a real kube-apiserver and etcd
 * (kube-api-test), against the floor: a plain client of 32 threads doing the same two writes per
 * link (an owned Secret created, a status patch) on the same server in the same run, once as the
 * operator's ServiceAccount and once as cluster admin. Each size gets a fresh server. Prints
 * figures and asserts nothing about speed. Run: {@code ./mvnw -Pbench verify -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=PackagedOperatorBench} (sizes 1,000 and 10,000;
 * {@code -Dbench.links=1000} one size); {@code -Dbench.jar=...} measures another build; {@code
 * -Dbench.operator.jvm=-XX:StartFlightRecording=filename=/tmp/op.jfr} adds options to the
 * operator's JVM; {@code -Dbench.floor=none} leaves the floor out.
 *
 * <p>The operator runs as it ships: the image's JVM options (heap 256 MiB), deploy/'s
 * ServiceAccount and RBAC, leader election on. Requests are counted by the API server itself
 * ({@code apiserver_request_total} of its /metrics): the bench's own requests while the operator
 * runs are its informers' watches alone. Links point at a stand-in for S3 that answers each
 * verification as S3 does for an object that exists, so that they end Verified, as they would in
 * use.
 */
class PackagedOperatorBench {

  private static final List<Integer> SIZES =
      Arrays.stream(System.getProperty("bench.links", "1000,10000").split(","))
          .map(String::trim)
          .map(Integer::valueOf)
          .toList();
  private static final String OPERATOR_JVM_OPTIONS = System.getProperty("bench.operator.jvm", "");
  private static final Path JAR =
      Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
  private static final int THREADS = 32;
  // -Dbench.floor=none: the operator alone, for a profile of it.
  private static final boolean WITH_FLOOR = !"none".equals(System.getProperty("bench.floor"));
  private static final Duration IDLE = Duration.ofSeconds(30);
  // -Dbench.pprof=DIR: a CPU profile of the API server (Go's pprof, 20 s from 5 s into each timed
  // run, DIR/<run>.pb.gz), to see what a run costs it.
  private static final String PPROF = System.getProperty("bench.pprof", "");
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY");
  private static final Path HISTOGRAM = Path.of("target", "bench-heap-histogram.txt");
  private static final String FLOOR = "floor";
  private static final String BENCH = "bench";

  @TempDir Path directory;

  private RangeStandIn s3;

  /** What the floor's run took of the CPU: the bench's JVM (its client), API server, etcd. */
  private CpuTicks floorCpu;

  @BeforeEach
  void startS3() throws IOException {
    s3 = new RangeStandIn();
  }

  @AfterEach
  void stopS3() {
    s3.close();
  }

  @Test
  void coldStartAgainstTheFloor() throws Exception {
    List<String> figures = new ArrayList<>();
    for (int links : SIZES) {
      figures.addAll(coldStart(links));
    }
    System.out.println("BENCH summary, " + JAR + ":");
    figures.forEach(line -> System.out.println("BENCH " + line));
  }

  /**
   * The first Secret of each build in {@code -Dbench.jars} (packaged jars, comma-separated), from
   * starts taken in turn on one server holding the first size's links, {@code -Dbench.starts} times
   * each (default 5): a start is stopped once it has written a Secret, and the next one finds those
   * already written. Two bench runs minutes apart differ by more than a change to the start does;
   * alternating starts on one server see the same machine. {@code
   * -Dit.test=PackagedOperatorBench#firstSecretOfEachBuild}.
   */
  @Test
  @EnabledIfSystemProperty(named = "bench.jars", matches = ".+")
  void firstSecretOfEachBuild() throws Exception {
    List<Path> jars =
        Arrays.stream(System.getProperty("bench.jars").split(",")).map(Path::of).toList();
    int starts = Integer.getInteger("bench.starts", 5);
    int links = SIZES.get(0);
    Map<Path, List<Double>> seconds = new LinkedHashMap<>();
    try (RealApiServer api = RealApiServer.start();
        KubernetesClient client = client(api)) {
      String token = DeployedRbac.operatorToken(api, Duration.ofHours(2));
      Path kubeconfig = api.writeKubeconfig(directory.resolve("kubeconfig"), token);
      api.createNamespace(BENCH);
      storeLinks(client, BENCH, links);
      try (Progress progress = new Progress(client, BENCH, links)) {
        progress.awaitLinksSent();
        for (int start = 0; start < starts; start++) {
          for (Path jar : jars) {
            int written = progress.secretsWritten();
            long from = System.nanoTime();
            Path log =
                Path.of(
                    "target",
                    "bench-first-secret-" + start + "-" + jar.getParent().getFileName() + ".log");
            try (OperatorProcess process = startOperator(jar, kubeconfig, log)) {
              awaitWhileAlive(
                  process, Duration.ofMinutes(2), () -> progress.secretsWritten() > written);
            }
            progress.awaitSecretsSettled();
            double took = progress.secondsToSecret(from, written + 1);
            seconds.computeIfAbsent(jar, j -> new ArrayList<>()).add(took);
            System.out.printf("BENCH first Secret %.2f s: %s%n", took, jar);
          }
        }
      }
    }
    seconds.forEach(
        (jar, times) ->
            System.out.printf(
                "BENCH %d links, first Secret of %s: median %.2f s of %s%n",
                links, jar, times.stream().sorted().toList().get(times.size() / 2), times));
  }

  private List<String> coldStart(int links) throws Exception {
    List<String> figures = new ArrayList<>();
    try (RealApiServer api = RealApiServer.start();
        KubernetesClient client = client(api)) {
      String token = DeployedRbac.operatorToken(api, Duration.ofHours(2));
      Path kubeconfig = api.writeKubeconfig(directory.resolve("kubeconfig-" + links), token);

      double floorAsOperator = Double.NaN;
      double floorAsAdmin = Double.NaN;
      if (WITH_FLOOR) {
        try (KubernetesClient asOperator = client(api.configWithToken(token))) {
          floorAsOperator = floor(api, client, asOperator, links);
        }
        figures.add(
            String.format(
                "%d links: floor (%d threads, an owned Secret + a status patch per link) as the"
                    + " operator's ServiceAccount %.1f s; CPU per link: %s",
                links, THREADS, floorAsOperator, floorCpu.perLink(links, "client")));
        print(figures);
        floorAsAdmin = floor(api, client, client, links);
        figures.add(
            String.format(
                "%d links: floor as cluster admin (no RBAC, no token to check) %.1f s; CPU per"
                    + " link: %s",
                links, floorAsAdmin, floorCpu.perLink(links, "client")));
        print(figures);
      }

      api.createNamespace(BENCH);
      storeLinks(client, BENCH, links);
      try (Progress progress = new Progress(client, BENCH, links)) {
        progress.awaitLinksSent();
        ApiRequests before = ApiRequests.of(api);
        CpuTicks cpuFrom = CpuTicks.now(0);
        long benchCpuFrom = cpuTicks(ProcessHandle.current().pid());
        long start = System.nanoTime();
        CompletableFuture<Void> profile = profileApiServer(client, "operator-" + links);
        try (OperatorProcess process = startOperator(kubeconfig, links)) {
          awaitWhileAlive(process, Duration.ofMinutes(30), progress::readyAndVerified);
          double ready = progress.readySeconds(start);
          double verified = progress.verifiedSeconds(start);
          ApiRequests coldStart = ApiRequests.of(api).minus(before);
          CpuTicks cpu = CpuTicks.now(process.pid()).minus(cpuFrom);
          long benchCpu = cpuTicks(ProcessHandle.current().pid()) - benchCpuFrom;
          profile.join();
          long cpuTicks = cpuTicks(process.pid());

          ApiRequests idleFrom = ApiRequests.of(api);
          Thread.sleep(IDLE.toMillis());
          ApiRequests idle = ApiRequests.of(api).minus(idleFrom);

          long liveHeap = liveHeapAfterFullGc(process.pid());
          long peakRss = statusKiB(process.pid(), "VmHWM");
          String metrics = metrics(process);

          figures.add(
              String.format(
                  "%d links: operator %.1f s from start to every Secret written and every link"
                      + " Ready: ratio %.2f to the floor as the operator's ServiceAccount, %.2f to"
                      + " it as cluster admin; first Secret %.1f s, half %.1f s, last %.1f s;"
                      + " all Verified %.1f s",
                  links,
                  ready,
                  ready / floorAsOperator,
                  ready / floorAsAdmin,
                  progress.secondsToSecret(start, 1),
                  progress.secondsToSecret(start, links / 2),
                  progress.secondsToSecret(start, links),
                  verified));
          figures.add(
              String.format(
                  "%d links: live heap after full GC %.1f MiB (%.1f KiB/link), peak RSS %.0f MiB,"
                      + " CPU %.1f s (%.2f ms/link), %.2f reconciles/link",
                  links,
                  liveHeap / 1048576.0,
                  liveHeap / 1024.0 / links,
                  peakRss / 1024.0,
                  cpuTicks / 100.0,
                  cpuTicks * 10.0 / links,
                  sum(metrics, "operator_sdk_reconciliations_started_total") / links));
          figures.add(
              String.format(
                  "%d links: CPU per link until all Ready and Verified: %s; the bench's JVM (its"
                      + " watches, the S3 stand-in) %.2f ms",
                  links, cpu.perLink(links, "operator"), benchCpu * 10.0 / links));
          figures.add(
              String.format(
                  "%d links: requests per link until all Ready and Verified: %s",
                  links, coldStart.perLink(links)));
          figures.add(
              String.format(
                  "%d links: API server's mean latency (ms): %s", links, coldStart.meanMillis()));
          figures.add(
              String.format(
                  "%d links: writes in %d s once all were Ready and Verified: %s",
                  links, IDLE.toSeconds(), idle.writes()));
          print(figures);
        }
      }
    }
    return figures;
  }

  private static void print(List<String> figures) {
    System.out.println("BENCH " + figures.get(figures.size() - 1));
  }

  /**
   * The floor: links stored in a namespace of their own, then, timed, what the operator must write
   * for each, in an order of its own, as the operator's ServiceAccount (so that RBAC weighs the
   * same on both): an owned Secret and a status patch. Then the namespace is emptied, so that the
   * operator's run finds only its own links (the test server runs no garbage collector, so both
   * kinds are deleted).
   */
  private double floor(
      RealApiServer api, KubernetesClient client, KubernetesClient asOperator, int links)
      throws Exception {
    api.createNamespace(FLOOR);
    List<PresignedObjectLink> stored = storeLinks(client, FLOOR, links);
    String status = Files.readString(Path.of("src/test/resources/bench/floor-status.json"));
    try (Progress progress = new Progress(client, FLOOR, links)) {
      progress.awaitLinksSent();
      CpuTicks cpuFrom = CpuTicks.now(ProcessHandle.current().pid());
      long start = System.nanoTime();
      CompletableFuture<Void> profile =
          profileApiServer(client, "floor-" + links + (asOperator == client ? "-admin" : ""));
      parallelInRandomOrder(
          links,
          i -> {
            PresignedObjectLink link = stored.get(i);
            asOperator.resource(secret(link)).create();
            return asOperator
                .resource(link)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), status.formatted(name(i)));
          });
      await().atMost(Duration.ofMinutes(10)).until(progress::ready);
      double seconds = progress.readySeconds(start);
      floorCpu = CpuTicks.now(ProcessHandle.current().pid()).minus(cpuFrom);
      profile.join();
      client.secrets().inNamespace(FLOOR).delete();
      client.resources(PresignedObjectLink.class).inNamespace(FLOOR).delete();
      return seconds;
    }
  }

  private List<PresignedObjectLink> storeLinks(KubernetesClient client, String namespace, int links)
      throws Exception {
    return parallel(
        IntStream.range(0, links).boxed().toList(),
        i -> client.resource(link(namespace, i)).create());
  }

  /** The packaged operator as deploy/ runs it; the clock starts just before. */
  private OperatorProcess startOperator(Path kubeconfig, int links) throws IOException {
    return startOperator(JAR, kubeconfig, Path.of("target", "bench-operator-" + links + ".log"));
  }

  private OperatorProcess startOperator(Path jar, Path kubeconfig, Path log) throws IOException {
    return OperatorProcess.start(
        jar,
        kubeconfig,
        log,
        Map.of(
            "JDK_JAVA_OPTIONS",
            OPERATOR_JVM_OPTIONS,
            "HOSTNAME",
            "presign-operator-0",
            "PRESIGN_LEADER_ELECTION_ENABLED",
            "true",
            "PRESIGN_LEADER_ELECTION_LEASE_NAMESPACE",
            DeployedRbac.OPERATOR_NAMESPACE));
  }

  private static void awaitWhileAlive(
      OperatorProcess operator, Duration atMost, BooleanSupplier condition) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> condition.getAsBoolean() || !operator.isAlive());
    if (!operator.isAlive()) {
      throw new IllegalStateException(
          operator.exitDescription() + ": " + operator.lastLogLines(20));
    }
  }

  /** Watches the Secrets and links of a namespace, noting when each is written, Ready, Verified. */
  private static final class Progress implements AutoCloseable {
    private final int links;
    private final List<Long> secretsWritten = new ArrayList<>();
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastReady = new AtomicLong();
    private final AtomicLong lastVerified = new AtomicLong();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    /**
     * Informers (a list, then a watch from its version), not bare watches: a watch that names no
     * version asks for the initial events as a stream, which Debian's etcd cannot serve.
     */
    Progress(KubernetesClient client, String namespace, int links) {
      this.links = links;
      informers.add(
          client
              .secrets()
              .inNamespace(namespace)
              .inform(on(secret -> secretWritten(secret.getMetadata().getName()))));
      informers.add(
          client
              .resources(PresignedObjectLink.class)
              .inNamespace(namespace)
              .inform(on(this::linkSeen)));
    }

    /** Until the server has sent this watch every link it holds: the clock starts after that. */
    void awaitLinksSent() {
      await().atMost(Duration.ofMinutes(5)).until(() -> sent.size() >= links);
    }

    private void linkSeen(PresignedObjectLink link) {
      String name = link.getMetadata().getName();
      sent.add(name);
      if (condition(link, "Ready") && ready.add(name)) {
        lastReady.set(System.nanoTime());
      }
      if (condition(link, "Verified") && verified.add(name)) {
        lastVerified.set(System.nanoTime());
      }
    }

    private static boolean condition(PresignedObjectLink link, String type) {
      return link.getStatus() != null
          && link.getStatus().getConditions().stream()
              .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private synchronized void secretWritten(String name) {
      if (secrets.add(name)) {
        secretsWritten.add(System.nanoTime());
      }
    }

    synchronized int secretsWritten() {
      return secretsWritten.size();
    }

    /**
     * Until the watch has brought every Secret of a stopped operator: none for a quarter second.
     */
    void awaitSecretsSettled() {
      int[] seen = {secretsWritten()};
      await()
          .pollInterval(Duration.ofMillis(250))
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                int now = secretsWritten();
                boolean settled = now == seen[0];
                seen[0] = now;
                return settled;
              });
    }

    synchronized boolean ready() {
      return secretsWritten.size() >= links && ready.size() >= links;
    }

    synchronized boolean readyAndVerified() {
      return ready() && verified.size() >= links;
    }

    synchronized double secondsToSecret(long start, int secrets) {
      return (secretsWritten.get(secrets - 1) - start) / 1e9;
    }

    synchronized double readySeconds(long start) {
      return (Math.max(secretsWritten.get(links - 1), lastReady.get()) - start) / 1e9;
    }

    synchronized double verifiedSeconds(long start) {
      return (lastVerified.get() - start) / 1e9;
    }

    @Override
    public void close() {
      informers.forEach(SharedIndexInformer::close);
    }

    private static <T> ResourceEventHandler<T> on(java.util.function.Consumer<T> seen) {
      return new ResourceEventHandler<>() {
        @Override
        public void onAdd(T resource) {
          seen.accept(resource);
        }

        @Override
        public void onUpdate(T old, T resource) {
          seen.accept(resource);
        }

        @Override
        public void onDelete(T resource, boolean deletedFinalStateUnknown) {}
      };
    }
  }

  /**
   * The API server's own count of the requests it served ({@code apiserver_request_total}) and the
   * time it took ({@code apiserver_request_duration_seconds}), by verb and resource.
   */
  private record ApiRequests(Map<String, Double> counts, Map<String, Double> seconds) {

    private static final Pattern SERIES =
        Pattern.compile(
            "^(apiserver_request_total|apiserver_request_duration_seconds_sum)\\{(.*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    static ApiRequests of(RealApiServer api) {
      Map<String, Double> counts = new TreeMap<>();
      Map<String, Double> seconds = new TreeMap<>();
      for (String line : api.client().raw("/metrics").split("\n")) {
        Matcher series = SERIES.matcher(line);
        if (!series.matches()) {
          continue;
        }
        Map<String, String> labels = new TreeMap<>();
        Matcher label = LABEL.matcher(series.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
        String subresource = labels.getOrDefault("subresource", "");
        String key =
            labels.get("verb")
                + " "
                + labels.get("resource")
                + (subresource.isEmpty() ? "" : "/" + subresource);
        double value = Double.parseDouble(series.group(3));
        (series.group(1).equals("apiserver_request_total") ? counts : seconds)
            .merge(key, value, Double::sum);
      }
      return new ApiRequests(counts, seconds);
    }

    ApiRequests minus(ApiRequests before) {
      return new ApiRequests(
          difference(counts, before.counts), difference(seconds, before.seconds));
    }

    private static Map<String, Double> difference(
        Map<String, Double> after, Map<String, Double> before) {
      Map<String, Double> difference = new TreeMap<>();
      after.forEach(
          (key, value) -> {
            double added = value - before.getOrDefault(key, 0.0);
            if (added > 0) {
              difference.put(key, added);
            }
          });
      return difference;
    }

    Map<String, String> perLink(int links) {
      Map<String, String> perLink = new TreeMap<>();
      counts.forEach(
          (request, count) ->
              perLink.put(
                  request,
                  count >= links / 10.0
                      ? String.format("%.2f", count / links)
                      : String.format("%.0f in all", count)));
      return perLink;
    }

    Map<String, String> meanMillis() {
      Map<String, String> mean = new TreeMap<>();
      counts.forEach(
          (request, count) -> {
            if (!request.startsWith("WATCH") && seconds.containsKey(request)) {
              mean.put(request, String.format("%.1f", seconds.get(request) * 1000 / count));
            }
          });
      return mean;
    }

    Map<String, Integer> writes() {
      Map<String, Integer> writes = new TreeMap<>();
      counts.forEach(
          (request, count) -> {
            if (WRITES.contains(request.split(" ")[0])) {
              writes.put(request, (int) Math.round(count));
            }
          });
      return writes;
    }
  }

  /**
   * The bench's client: admin, with room for its 32 threads' requests at once, and time for the
   * deletion of 10,000 objects in one request.
   */
  private static KubernetesClient client(RealApiServer api) {
    return client(api.adminConfig());
  }

  private static KubernetesClient client(Config config) {
    config.setRequestTimeout((int) Duration.ofMinutes(5).toMillis());
    config.setMaxConcurrentRequests(THREADS * 2);
    config.setMaxConcurrentRequestsPerHost(THREADS * 2);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Runs {@code perLink} for each of the links in an order of its own, not that of their creation,
   * as no controller's writes come in creation order.
   */
  /** With -Dbench.pprof: the API server's CPU profile of 20 s, from 5 s on. */
  private static CompletableFuture<Void> profileApiServer(KubernetesClient admin, String run) {
    if (PPROF.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    io.fabric8.kubernetes.client.http.HttpClient http = admin.getHttpClient();
    return CompletableFuture.runAsync(
        () -> {
          byte[] profile =
              http.sendAsync(
                      http.newHttpRequestBuilder()
                          .uri(admin.getMasterUrl() + "debug/pprof/profile?seconds=20")
                          .timeout(60, TimeUnit.SECONDS)
                          .build(),
                      byte[].class)
                  .join()
                  .body();
          try {
            Files.createDirectories(Path.of(PPROF));
            Files.write(Path.of(PPROF, run + ".pb.gz"), profile);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS));
  }

  private static <T> List<T> parallelInRandomOrder(int links, IntFunction<T> perLink)
      throws Exception {
    List<Integer> order = new ArrayList<>(IntStream.range(0, links).boxed().toList());
    Collections.shuffle(order, new Random(links));
    return parallel(order, perLink);
  }

  /** The results of {@code perLink}, in the order given. */
  private static <T> List<T> parallel(List<Integer> order, IntFunction<T> perLink)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<T>> done = new ArrayList<>();
      for (int link : order) {
        done.add(pool.submit(() -> perLink.apply(link)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : done) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }

  private static String name(int i) {
    return "link-" + i;
  }

  /** A link as kubectl apply stores it: with its last-applied annotation. */
  private PresignedObjectLink link(String namespace, int i) {
    PresignedObjectLink link =
        Serialization.unmarshal(
            """
            apiVersion: presign.dev/v1alpha1
            kind: PresignedObjectLink
            metadata:
              name: %s
              namespace: %s
              labels: {app: bench}
            spec:
              bucket: bench-reports
              key: reports/2026/%s.pdf
              endpoint: %s
              forcePathStyle: true
              expiresIn: 12h
            """
                .formatted(name(i), namespace, name(i), s3.endpoint()),
            PresignedObjectLink.class);
    link.getMetadata()
        .setAnnotations(
            Map.of("kubectl.kubernetes.io/last-applied-configuration", Serialization.asJson(link)));
    return link;
  }

  /** A Secret the size of the operator's, owned by the link: a URL of about 600 characters. */
  private static Secret secret(PresignedObjectLink link) {
    String name = link.getMetadata().getName();
    String url =
        "http://127.0.0.1:9/bench-reports/reports/2026/" + name + ".pdf?" + "X".repeat(560);
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(link.getMetadata().getNamespace())
        .withName(name)
        .addToLabels("app.kubernetes.io/managed-by", "presign-operator")
        .addToLabels("presign.dev/link", name)
        .addToAnnotations("presign.dev/issued-at", "2026-11-22T10:00:00Z")
        .addToAnnotations("presign.dev/expires-at", "2026-11-22T22:00:00Z")
        .addToAnnotations("presign.dev/renewal-time", "2026-11-22T18:00:00Z")
        .addToAnnotations("presign.dev/generation", "1")
        .addToAnnotations("presign.dev/rotations", "1")
        .addToAnnotations("presign.dev/url-digest", "sha256:" + "0".repeat(16))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("presign.dev/v1alpha1")
                .withKind("PresignedObjectLink")
                .withName(name)
                .withUid(link.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withType("Opaque")
        .addToData("url", base64(url))
        .addToData("expiresAt", base64("2026-11-22T22:00:00Z"))
        .addToData("method", base64("GET"))
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Live objects after a full GC (GC.class_histogram collects first); kept in target/. */
  private static long liveHeapAfterFullGc(long pid) throws Exception {
    List<String> lines = jcmd(pid, "GC.class_histogram");
    Files.write(HISTOGRAM, lines);
    String total = lines.stream().filter(l -> l.startsWith("Total")).findFirst().orElseThrow();
    return Long.parseLong(total.trim().split("\\s+")[2]);
  }

  /** A figure of /proc/pid/status in KiB: VmHWM is the resident set at its peak. */
  private static long statusKiB(long pid, String field) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(line -> line.startsWith(field + ":"))
        .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
        .findFirst()
        .orElseThrow();
  }

  /**
   * CPU time, in clock ticks, of one process (the floor's client: the bench's JVM; or the operator)
   * and of the API server and etcd, which run as children of the bench's JVM.
   */
  private record CpuTicks(long process, long apiServer, long etcd) {

    static CpuTicks now(long pid) throws IOException {
      long apiServer = 0;
      long etcd = 0;
      for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
        String command = child.info().command().orElse("");
        if (command.endsWith("kube-apiserver")) {
          apiServer += cpuTicks(child.pid());
        } else if (command.endsWith("etcd")) {
          etcd += cpuTicks(child.pid());
        }
      }
      return new CpuTicks(pid == 0 ? 0 : cpuTicks(pid), apiServer, etcd);
    }

    CpuTicks minus(CpuTicks before) {
      return new CpuTicks(
          process - before.process, apiServer - before.apiServer, etcd - before.etcd);
    }

    String perLink(int links, String processName) {
      return String.format(
          "%s %.2f ms, kube-apiserver %.2f ms, etcd %.2f ms",
          processName, process * 10.0 / links, apiServer * 10.0 / links, etcd * 10.0 / links);
    }
  }

  /** User and system CPU time of the process, in clock ticks (1/100 s on Linux). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String metrics(OperatorProcess operator) throws Exception {
    URI metrics = operator.readiness().resolve("/q/metrics");
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double sum(String metrics, String counter) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(counter))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static List<String> jcmd(long pid, String command) throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                command)
            .redirectErrorStream(true)
            .start();
    List<String> lines =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .lines()
            .collect(Collectors.toList());
    process.waitFor();
    return lines;
  }
}
