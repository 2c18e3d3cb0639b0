package dev.presign.operator.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.it.RangeStandIn;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
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
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold start of the packaged operator with N links already stored, against the floor: a client of
 * 32 threads doing the same two writes per link (Secret create, status merge patch) on the same
 * mock API server. Prints figures and asserts nothing about speed. Run: {@code ./mvnw -Pbench
 * verify -Dbench.links=10000} (default 1,000); {@code -Dbench.jar=...} measures another build;
 * {@code -Dbench.operator.jvm=...} adds options to the operator's JVM (a profiler, say); {@code
 * -Dbench.coldStarts=N} measures instead the first Secret alone over N cold starts.
 *
 * <p>Links carry the metadata.managedFields and last-applied annotation that a real API server and
 * {@code kubectl apply} add, which the mock server does not, so that the heap figures hold what a
 * cluster's objects would. The operator runs with the heap and GC options of the image, as {@link
 * OperatorProcess} starts it.
 */
class PackagedOperatorBench {

  private static final int LINKS = Integer.getInteger("bench.links", 1_000);
  // With N > 0, only the first Secret over N cold starts, without the floor.
  private static final int COLD_STARTS = Integer.getInteger("bench.coldStarts", 0);
  // Further options of the operator's JVM, such as -XX:StartFlightRecording=filename=op.jfr.
  private static final String OPERATOR_JVM_OPTIONS = System.getProperty("bench.operator.jvm", "");
  private static final Path JAR =
      Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
  private static final String NAMESPACE = "bench";
  private static final String USER_AGENT = "presign-bench";
  private static final int THREADS = 32;
  private static final Duration IDLE = Duration.ofSeconds(10);
  private static final Path LOG = Path.of("target", "bench-operator.log");
  private static final Path HISTOGRAM = Path.of("target", "bench-heap-histogram.txt");
  private static final Path NATIVE_MEMORY = Path.of("target", "bench-native-memory.txt");
  // The mock server logs every request at INFO: that would cost the bench more than the server.
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  @TempDir Path directory;

  /** The share of the machine's CPU time that was busy while the floor ran. */
  private double floorBusy;

  /**
   * The links' S3: it answers each URL's verification (R11) at once, as S3 answers for an object
   * that exists, so that the links end Verified, as they would in use.
   */
  private RangeStandIn s3;

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
    assumeTrue(COLD_STARTS == 0, "-Dbench.coldStarts measures the first Secret alone");
    double floor = floorSeconds();
    System.out.printf(
        "BENCH %d links: floor (%d threads, 2 writes/link) %.1f s%n", LINKS, THREADS, floor);

    try (StoredLinks stored = storeLinks("kubeconfig")) {
      EmbeddedKubernetesApi api = stored.api();
      Progress progress = stored.progress();
      long start = System.nanoTime();
      long[] cpuBefore = machineCpuTicks();
      try (OperatorProcess operator = startOperator(api)) {
        awaitWhileAlive(operator, Duration.ofMinutes(30), Duration.ofMillis(100), progress::done);
        double last = progress.lastSeconds(start);
        double operatorBusy = busyShare(cpuBefore, machineCpuTicks());
        Map<String, Integer> coldStart = drain(api);
        long cpuTicks = cpuTicks(operator.pid());
        // R4: with nothing due, the links cause no writes, once the events queued in the burst
        // have gone out.
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> !drain(api).containsKey("POST events"));
        await().pollDelay(IDLE).atMost(IDLE.plusSeconds(1)).until(() -> true);
        Map<String, Integer> idle = drain(api);
        idle.keySet().removeIf(verb -> verb.startsWith("GET"));
        long liveHeap = liveHeapAfterFullGc(operator.pid());
        keepNativeMemory(operator.pid());
        long rss = statusKiB(operator.pid(), "VmRSS");
        long peakRss = statusKiB(operator.pid(), "VmHWM");
        String metrics = metrics(operator);
        double allocated = sum(metrics, "jvm_gc_memory_allocated_bytes_total");
        double reconciles = sum(metrics, "operator_sdk_reconciliations_started_total");

        System.out.printf(
            "BENCH %d links: operator %.1f s from start to every Secret written and every link"
                + " Ready; ratio %.2f; first Secret %.1f s, half %.1f s, last %.1f s%n",
            LINKS,
            last,
            last / floor,
            progress.secondsTo(start, 1),
            progress.secondsTo(start, LINKS / 2),
            progress.secondsTo(start, LINKS));
        System.out.printf(
            "BENCH %d links: live heap after full GC %.1f MiB (%.1f KiB/link), RSS %.0f MiB"
                + " (peak %.0f MiB),"
                + " CPU %.1f s (%.2f ms/link), allocated %.0f KiB/link since JVM start%n",
            LINKS,
            liveHeap / 1048576.0,
            liveHeap / 1024.0 / LINKS,
            rss / 1024.0,
            peakRss / 1024.0,
            cpuTicks / 100.0,
            cpuTicks * 10.0 / LINKS,
            allocated / 1024 / LINKS);
        System.out.printf(
            "BENCH %d links: %.0f Verified; %.2f reconciles per link; requests per link: %s%n",
            LINKS, sum(metrics, "presign_link_verified"), reconciles / LINKS, perLink(coldStart));
        System.out.printf(
            "BENCH %d links: writes in %d s idle: %s%n", LINKS, IDLE.toSeconds(), idle);
        System.out.printf("BENCH %d links: %s%n", LINKS, renewalSpread(metrics));
        System.out.printf(
            "BENCH %d links: machine CPU busy (%d cores) %.0f%% during the floor, %.0f%% during"
                + " the operator's cold start%n",
            LINKS, Runtime.getRuntime().availableProcessors(), floorBusy * 100, operatorBusy * 100);
      }
    }
  }

  /**
   * The time to the first Secret alone, over several cold starts ({@code -Dbench.coldStarts=N}): it
   * varies from run to run with the JVM's start, more than one run shows.
   */
  @Test
  void firstSecretOverColdStarts() throws Exception {
    assumeTrue(COLD_STARTS > 0, "-Dbench.coldStarts=N measures the first Secret over N starts");
    List<Double> firstSecrets = new ArrayList<>();
    for (int run = 0; run < COLD_STARTS; run++) {
      try (StoredLinks stored = storeLinks("cold-start-" + run)) {
        long start = System.nanoTime();
        try (OperatorProcess operator = startOperator(stored.api())) {
          awaitWhileAlive(
              operator,
              Duration.ofMinutes(5),
              Duration.ofMillis(50),
              () -> stored.progress().secretsWritten() > 0);
          firstSecrets.add(stored.progress().secondsTo(start, 1));
        }
      }
    }
    List<Double> sorted = firstSecrets.stream().sorted().toList();
    System.out.printf(
        "BENCH %d links: first Secret over %d cold starts: min %.2f s, median %.2f s, max %.2f s;"
            + " in order: %s%n",
        LINKS,
        COLD_STARTS,
        sorted.get(0),
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1),
        firstSecrets.stream().map(s -> String.format("%.2f", s)).collect(Collectors.joining(" ")));
  }

  /** A mock API server holding the links, the bench's watches having been sent every one. */
  private record StoredLinks(EmbeddedKubernetesApi api, KubernetesClient client, Progress progress)
      implements AutoCloseable {
    @Override
    public void close() {
      client.close();
      api.close();
    }
  }

  private StoredLinks storeLinks(String name) throws Exception {
    EmbeddedKubernetesApi api = EmbeddedKubernetesApi.start(directory.resolve(name));
    KubernetesClient client = client(api);
    parallel(i -> client.resource(link(i)).create());
    drain(api);
    Progress progress = new Progress(client);
    progress.awaitLinksSent();
    return new StoredLinks(api, client, progress);
  }

  /** The packaged operator, as the image runs it; the clock starts just before. */
  private static OperatorProcess startOperator(EmbeddedKubernetesApi api) throws IOException {
    return OperatorProcess.start(
        JAR, api.kubeconfig(), LOG, Map.of("JDK_JAVA_OPTIONS", OPERATOR_JVM_OPTIONS));
  }

  /**
   * Waits until {@code condition} holds; fails with the operator's last lines if it exits first.
   */
  private static void awaitWhileAlive(
      OperatorProcess operator, Duration atMost, Duration pollInterval, BooleanSupplier condition) {
    await()
        .atMost(atMost)
        .pollInterval(pollInterval)
        .until(() -> condition.getAsBoolean() || !operator.isAlive());
    if (!operator.isAlive()) {
      throw new IllegalStateException(
          operator.exitDescription() + ": " + operator.lastLogLines(20));
    }
  }

  /** The same two writes per link the operator makes, from a client of 32 threads. */
  private double floorSeconds() throws Exception {
    try (EmbeddedKubernetesApi api =
            EmbeddedKubernetesApi.start(directory.resolve("floor-kubeconfig"));
        KubernetesClient client = client(api)) {
      parallel(i -> client.resource(link(i)).create());
      String status =
          "{\"status\":{\"observedGeneration\":1,\"secretName\":\"%s\",\"conditions\":[{"
              + "\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Issued\","
              + "\"message\":\"URL valid until 2026-11-22T22:00:00Z\","
              + "\"lastTransitionTime\":\"2026-11-22T10:00:00Z\",\"observedGeneration\":1}]}}";
      // Under the same watches as the operator's run, as the mock server sends every event to
      // every watch: the bench's own, and those of the operator's informers of links and of its
      // Secrets.
      Progress progress = new Progress(client);
      AtomicInteger linksSent = new AtomicInteger();
      client
          .resources(PresignedObjectLink.class)
          .inAnyNamespace()
          .watch(Progress.on(link -> linksSent.incrementAndGet()));
      client
          .secrets()
          .inAnyNamespace()
          .withLabel("app.kubernetes.io/managed-by", "presign-operator")
          .watch(Progress.on(secret -> {}));
      progress.awaitLinksSent();
      awaitAllLinks(linksSent);
      long start = System.nanoTime();
      long[] cpuBefore = machineCpuTicks();
      parallelInRandomOrder(
          i -> {
            client.resource(secret(i)).create();
            client
                .resource(link(i))
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), status.formatted(name(i)));
          });
      await().atMost(Duration.ofMinutes(5)).until(progress::done);
      floorBusy = busyShare(cpuBefore, machineCpuTicks());
      return progress.lastSeconds(start);
    }
  }

  /** Until a watch of links has been sent every link the server holds. */
  private static void awaitAllLinks(AtomicInteger linksSent) {
    await().atMost(Duration.ofMinutes(5)).until(() -> linksSent.get() >= LINKS);
  }

  /** Watches Secrets appear and links turn Ready, noting when. */
  private static final class Progress {
    private final List<Long> secretsWritten = new ArrayList<>();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastReady = new AtomicLong();
    private final AtomicInteger linksSent = new AtomicInteger();

    Progress(KubernetesClient client) {
      client.secrets().inNamespace(NAMESPACE).watch(on(secret -> secretWritten()));
      client
          .resources(PresignedObjectLink.class)
          .inNamespace(NAMESPACE)
          .watch(
              on(
                  link -> {
                    linksSent.incrementAndGet();
                    boolean isReady =
                        link.getStatus() != null
                            && link.getStatus().getConditions().stream()
                                .anyMatch(
                                    c ->
                                        "Ready".equals(c.getType())
                                            && "True".equals(c.getStatus()));
                    if (isReady && ready.add(link.getMetadata().getName())) {
                      lastReady.set(System.nanoTime());
                    }
                  }));
    }

    /**
     * Until the server has sent this watch every link it holds, as a watch that names no version
     * starts: the clock starts after that, not while the server and the bench are still at it.
     */
    void awaitLinksSent() {
      awaitAllLinks(linksSent);
    }

    private synchronized void secretWritten() {
      secretsWritten.add(System.nanoTime());
    }

    synchronized int secretsWritten() {
      return secretsWritten.size();
    }

    synchronized boolean done() {
      return secretsWritten.size() >= LINKS && ready.size() >= LINKS;
    }

    synchronized double secondsTo(long start, int secrets) {
      return (secretsWritten.get(secrets - 1) - start) / 1e9;
    }

    synchronized double lastSeconds(long start) {
      return (Math.max(secretsWritten.get(LINKS - 1), lastReady.get()) - start) / 1e9;
    }

    private static <T> Watcher<T> on(java.util.function.Consumer<T> added) {
      return new Watcher<>() {
        @Override
        public void eventReceived(Action action, T resource) {
          if (action == Action.ADDED || action == Action.MODIFIED) {
            added.accept(resource);
          }
        }

        @Override
        public void onClose(WatcherException cause) {}
      };
    }
  }

  private static KubernetesClient client(EmbeddedKubernetesApi api) throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(api.kubeconfig()));
    config.setUserAgent(USER_AGENT);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static void parallel(IntConsumer perLink) throws Exception {
    parallel(IntStream.range(0, LINKS).boxed().toList(), perLink);
  }

  /**
   * The links in an order of their own, not that of their creation: the mock server finds an object
   * by scanning its store from the oldest write on, so links written in the order they were created
   * would each be found first, at once, as no controller's links are (and as nothing is on a real
   * API server).
   */
  private static void parallelInRandomOrder(IntConsumer perLink) throws Exception {
    List<Integer> order = new ArrayList<>(IntStream.range(0, LINKS).boxed().toList());
    Collections.shuffle(order, new Random(LINKS));
    parallel(order, perLink);
  }

  private static void parallel(List<Integer> order, IntConsumer perLink) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int link : order) {
        done.add(pool.submit(() -> perLink.accept(link)));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static String name(int i) {
    return "link-" + i;
  }

  /** A link as kubectl apply stores it on a real API server: managedFields, last-applied. */
  private PresignedObjectLink link(int i) {
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
                .formatted(name(i), NAMESPACE, name(i), s3.endpoint()),
            PresignedObjectLink.class);
    link.getMetadata()
        .setAnnotations(
            Map.of("kubectl.kubernetes.io/last-applied-configuration", Serialization.asJson(link)));
    link.getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl-client-side-apply")
                    .withOperation("Update")
                    .withApiVersion("presign.dev/v1alpha1")
                    .withTime("2026-11-22T10:00:00Z")
                    .withFieldsType("FieldsV1")
                    .withNewFieldsV1()
                    .addToAdditionalProperties(
                        "f:metadata",
                        Map.of(
                            "f:annotations",
                            Map.of(
                                ".",
                                Map.of(),
                                "f:kubectl.kubernetes.io/last-applied-configuration",
                                Map.of()),
                            "f:labels",
                            Map.of(".", Map.of(), "f:app", Map.of())))
                    .addToAdditionalProperties(
                        "f:spec",
                        Map.of(
                            ".",
                            Map.of(),
                            "f:bucket",
                            Map.of(),
                            "f:endpoint",
                            Map.of(),
                            "f:expiresIn",
                            Map.of(),
                            "f:forcePathStyle",
                            Map.of(),
                            "f:key",
                            Map.of()))
                    .endFieldsV1()
                    .build()));
    return link;
  }

  /** A Secret the size of the operator's: a presigned URL of about 600 characters. */
  private static Secret secret(int i) {
    String url =
        "http://127.0.0.1:9/bench-reports/reports/2026/" + name(i) + ".pdf?" + "X".repeat(560);
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(NAMESPACE)
        .withName(name(i))
        .addToLabels("app.kubernetes.io/managed-by", "presign-operator")
        .addToLabels("presign.dev/link", name(i))
        .addToAnnotations("presign.dev/issued-at", "2026-11-22T10:00:00Z")
        .addToAnnotations("presign.dev/expires-at", "2026-11-22T22:00:00Z")
        .endMetadata()
        .withType("Opaque")
        .addToData("url", Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  /**
   * The requests since the last call, excluding the bench's own, by verb and resource: "GET
   * secrets" reads one object, "LIST secrets" a collection, "WATCH secrets" opens a watch.
   */
  private static Map<String, Integer> drain(EmbeddedKubernetesApi api) throws InterruptedException {
    Map<String, Integer> requests = new TreeMap<>();
    RecordedRequest request;
    while ((request = api.server().takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      if (USER_AGENT.equals(request.getHeader("User-Agent"))) {
        continue;
      }
      String[] pathAndQuery = request.getPath().split("\\?", 2);
      String path = pathAndQuery[0].replaceAll("/namespaces/[^/]+(?=/)", "");
      String query = pathAndQuery.length > 1 ? pathAndQuery[1] : "";
      Matcher named = Pattern.compile(".*/([a-z.]+)/[^/]+(/status)?$").matcher(path);
      Matcher collection = Pattern.compile(".*/([a-z.]+)$").matcher(path);
      String verb = request.getMethod();
      String resource;
      if (named.matches() && !path.endsWith("/namespaces")) {
        resource = named.group(1) + (named.group(2) == null ? "" : "/status");
      } else if (collection.matches()) {
        resource = collection.group(1);
        if (verb.equals("GET")) {
          verb = query.contains("watch=true") ? "WATCH" : "LIST";
        }
      } else {
        resource = path;
      }
      requests.merge(verb + " " + resource, 1, Integer::sum);
    }
    return requests;
  }

  private static Map<String, String> perLink(Map<String, Integer> requests) {
    Map<String, String> perLink = new TreeMap<>();
    requests.forEach(
        (request, count) ->
            perLink.put(
                request,
                count >= LINKS / 10
                    ? String.format("%.2f", count / (double) LINKS)
                    : count + " in all"));
    return perLink;
  }

  /** Live objects after a full GC: GC.class_histogram collects before it counts. */
  /** Also keeps the histogram in target/bench-heap-histogram.txt, to see what the heap holds. */
  private static long liveHeapAfterFullGc(long pid) throws Exception {
    List<String> lines = run("jcmd", Long.toString(pid), "GC.class_histogram");
    Files.write(HISTOGRAM, lines);
    String total = lines.stream().filter(l -> l.startsWith("Total")).findFirst().orElseThrow();
    return Long.parseLong(total.trim().split("\\s+")[2]);
  }

  /** A figure of /proc/pid/status in KiB: VmRSS (resident now), VmHWM (resident at its peak). */
  private static long statusKiB(long pid, String field) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(line -> line.startsWith(field + ":"))
        .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Keeps the JVM's native memory summary in target/bench-native-memory.txt when the operator runs
   * with -XX:NativeMemoryTracking=summary (JDK_JAVA_OPTIONS), to see what the RSS holds.
   */
  private static void keepNativeMemory(long pid) throws Exception {
    Files.write(NATIVE_MEMORY, run("jcmd", Long.toString(pid), "VM.native_memory", "summary"));
  }

  /** The machine's CPU time from /proc/stat, in clock ticks: {busy, all}. */
  private static long[] machineCpuTicks() throws IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long all = 0;
    for (int i = 1; i < fields.length; i++) {
      all += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    return new long[] {all - idle, all};
  }

  private static double busyShare(long[] before, long[] after) {
    return (double) (after[0] - before[0]) / (after[1] - before[1]);
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

  /**
   * The sum of a counter's series: jvm_gc_memory_allocated_bytes_total counts the bytes allocated
   * since the JVM started, up to the last GC (the histogram above has just run one).
   */
  private static double sum(String metrics, String counter) {
    return values(metrics, counter).sum();
  }

  /** The values of a metric's series, one per line of the scrape. */
  private static DoubleStream values(String metrics, String name) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(name))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
  }

  /**
   * How the links' next renewals are spread (each link's renewal gauge): links issued together must
   * not all come due in the same moment.
   */
  private static String renewalSpread(String metrics) {
    double[] renewals = values(metrics, "presign_link_renewal_timestamp_seconds{").toArray();
    DoubleSummaryStatistics range = Arrays.stream(renewals).summaryStatistics();
    long busiestSecond =
        Arrays.stream(renewals)
            .mapToObj(renewal -> (long) renewal)
            .collect(Collectors.groupingBy(second -> second, Collectors.counting()))
            .values()
            .stream()
            .mapToLong(Long::longValue)
            .max()
            .orElse(0);
    return String.format(
        "%d renewals due over %.1f min, at most %d in one second",
        range.getCount(), (range.getMax() - range.getMin()) / 60, busiestSecond);
  }

  private static List<String> run(String tool, String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .lines()
            .toList();
    process.waitFor();
    return lines;
  }
}
