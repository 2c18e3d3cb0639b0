package dev.presign.cli;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.realapi.RealApiServer;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wall time of {@code kubectl presign status NAME} as a user starts it (target/kubectl-presign,
 * JVM start included) against a real kube-apiserver: the first run, which also makes the class-data
 * archive, then runs with the archive and runs without it. Prints; asserts nothing. {@code ./mvnw
 * -Pbench verify -Dit.test=PackagedKubectlPresignBench -Dbench.cli.runs=10}
 */
class PackagedKubectlPresignBench {

  @Test
  void startUpOfStatus() throws Exception {
    int runs = Integer.getInteger("bench.cli.runs", 7);
    try (RealApiServer api = RealApiServer.start()) {
      api.createNamespace("bench");
      PresignedObjectLink link = readyLink();
      api.client().resource(link).create();
      api.client().resource(link).updateStatus();
      Path kubeconfig = api.writeKubeconfig(Files.createTempFile("bench", ".kubeconfig"));
      Path cache = Files.createTempDirectory("kubectl-presign-bench");
      Map<String, String> env =
          Map.of("KUBECONFIG", kubeconfig.toString(), "XDG_CACHE_HOME", cache.toString());
      String[] status = {"status", "q3-report", "-n", "bench"};

      double first = seconds(env, status);
      List<Double> archived = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        archived.add(seconds(env, status));
      }
      Map<String, String> plain =
          Map.of("KUBECONFIG", kubeconfig.toString(), "KUBECTL_PRESIGN_CDS", "0");
      List<Double> without = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        without.add(seconds(plain, status));
      }
      System.out.printf(
          "%nkubectl presign status NAME (target/kubectl-presign, %d cores, load %.1f):%n"
              + "  first run, making the class-data archive: %.2f s%n"
              + "  with the archive:    %s%n"
              + "  without (CDS off):   %s%n%n",
          Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          first,
          summary(archived),
          summary(without));
    }
  }

  private static double seconds(Map<String, String> env, String... args) {
    long start = System.nanoTime();
    CliRun run = Executable.run(Executable.PLUGIN, env, args);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (run.status() != 0) {
      throw new IllegalStateException(run.toString());
    }
    return seconds;
  }

  private static String summary(List<Double> times) {
    List<Double> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    return String.format(
        "min %.2f s, median %.2f s, max %.2f s over %d runs %s",
        sorted.get(0),
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1),
        sorted.size(),
        times.stream().map(t -> String.format("%.2f", t)).toList());
  }

  /** A link as the operator leaves it when Ready (the bench times the plugin, not the operator). */
  private static PresignedObjectLink readyLink() {
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(new ObjectMetaBuilder().withName("q3-report").withNamespace("bench").build());
    PresignedObjectLinkSpec spec = new PresignedObjectLinkSpec();
    spec.setBucket("acme-reports");
    spec.setKey("reports/2026/q3.pdf");
    spec.setExpiresIn("12h");
    link.setSpec(spec);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    PresignedObjectLinkStatus status = new PresignedObjectLinkStatus();
    status.setObservedGeneration(1L);
    status.setSecretName("q3-report");
    status.setIssuedAt(now.toString());
    status.setExpiresAt(now.plus(12, ChronoUnit.HOURS).toString());
    status.setRenewalTime(now.plus(8, ChronoUnit.HOURS).toString());
    status.setRotations(1L);
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("Issued")
                .withMessage("URL valid")
                .withLastTransitionTime(now.toString())
                .build()));
    link.setStatus(status);
    return link;
  }
}
