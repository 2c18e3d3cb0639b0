package dev.presign.operator.realapi;

import static org.awaitility.Awaitility.await;

import dev.presign.operator.it.FreePort;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.process.EtcdProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * etcd on 127.0.0.1 only. kube-api-test 7.4.0's EtcdProcess listens on 0.0.0.0, which would offer
 * an etcd without authentication - the whole cluster's data - to every host that reaches this
 * machine; RealApiServer puts this one in its place. The API server still names it
 * http://0.0.0.0:port (kube-api-test's own flag), which on Linux connects to the loopback address.
 */
final class LoopbackEtcd extends EtcdProcess {

  private final BinaryManager binaryManager;
  private Process process;
  private Path dataDirectory;

  LoopbackEtcd(BinaryManager binaryManager) {
    super(binaryManager, stopped -> {}, false, 60_000);
    this.binaryManager = binaryManager;
  }

  @Override
  public int startEtcd() {
    try {
      dataDirectory = Files.createTempDirectory("etcd");
      int port = FreePort.onLoopback();
      String client = "http://127.0.0.1:" + port;
      String peer = "http://127.0.0.1:" + FreePort.onLoopback();
      Path log = dataDirectory.resolve("etcd.log");
      process =
          new ProcessBuilder(
                  binaryManager.binaries().getEtcd().getAbsolutePath(),
                  "--data-dir",
                  dataDirectory.resolve("data").toString(),
                  "--listen-client-urls",
                  client,
                  "--advertise-client-urls",
                  client,
                  "--listen-peer-urls",
                  peer,
                  "--initial-advertise-peer-urls",
                  peer,
                  "--initial-cluster",
                  "default=" + peer)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health = HttpRequest.newBuilder(URI.create(client + "/health")).build();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsMatching(IOException.class::isInstance)
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("etcd exited:\n" + Files.readString(log));
                }
                return http.send(health, HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("\"health\":\"true\"");
              });
      return port;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stopEtcd() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void cleanEtcdData() {
    if (dataDirectory == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
