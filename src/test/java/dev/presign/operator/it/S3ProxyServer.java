package dev.presign.operator.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server on 127.0.0.1: S3Proxy (Maven Central) as a child process with an in-memory
 * store. It checks SigV4 signatures and expiry, so a URL it accepts works against S3 too.
 */
public final class S3ProxyServer implements AutoCloseable {

  /** The one key pair S3Proxy accepts. */
  public static final String ACCESS_KEY_ID = "local-identity";

  public static final String SECRET_ACCESS_KEY = "local-credential";
  public static final String REGION = "us-east-1";

  private final Process process;
  private final URI endpoint;
  private final S3Client client;

  private S3ProxyServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
    this.client =
        S3Client.builder()
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .region(Region.of(REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /**
   * Starts S3Proxy from the jar the build copies to target/s3proxy (system property s3proxy.jar).
   */
  public static S3ProxyServer start() throws IOException {
    Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Proxy jar not found at " + jar + "; the build copies it there (mvn test-compile)");
    }
    int port = FreePort.onLoopback();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Path conf = Files.createTempFile("s3proxy", ".conf");
    Files.write(
        conf,
        List.of(
            "s3proxy.endpoint=" + endpoint,
            "s3proxy.authorization=aws-v4",
            "s3proxy.identity=" + ACCESS_KEY_ID,
            "s3proxy.credential=" + SECRET_ACCESS_KEY,
            "jclouds.provider=transient",
            "jclouds.identity=unused",
            "jclouds.credential=unused"));
    Path log = Files.createTempFile("s3proxy", ".log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "--properties",
                conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitListening(process, port, log);
    return new S3ProxyServer(process, endpoint);
  }

  public URI endpoint() {
    return endpoint;
  }

  /** An SDK client with S3Proxy's credentials, to prepare and check buckets and objects. */
  public S3Client client() {
    return client;
  }

  public void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  public void putObject(String bucket, String key, byte[] content) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  public byte[] getObject(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  @Override
  public void close() {
    client.close();
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void awaitListening(Process process, int port, Path log) throws IOException {
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> listening(process, port, log));
    } catch (ConditionTimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "S3Proxy did not listen on port " + port + " within 60 s:\n" + Files.readString(log), e);
    }
  }

  /** Whether S3Proxy accepts connections yet; fails at once when it has exited. */
  private static boolean listening(Process process, int port, Path log) throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }
}
