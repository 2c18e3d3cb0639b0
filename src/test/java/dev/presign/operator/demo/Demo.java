package dev.presign.operator.demo;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.api.v1alpha1.Upload;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.InstallCrd;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyServer;
import dev.presign.operator.signing.FormFields;
import dev.presign.operator.signing.UrlRedaction;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The README's first command: the operator as it ships (the packaged jar) on one machine, against
 * an embedded Kubernetes API and an embedded S3 server on 127.0.0.1, walked through in plain words.
 * Exits 0 when every step worked, 1 with what did not work otherwise.
 *
 * <p>{@code --keep-running} leaves everything up after the walkthrough, for kubectl, until Ctrl+C.
 */
public final class Demo {

  /** Where things are, relative to the project directory in which Maven starts the demo. */
  public record Options(Path operatorJar, Path examples, Path workDirectory, boolean keepRunning) {

    public static Options defaults() {
      return new Options(
          Path.of("target", "quarkus-app", "quarkus-run.jar"),
          Path.of("deploy", "examples"),
          Path.of("target", "demo"),
          false);
    }

    public Options withOperatorJar(Path jar) {
      return new Options(jar, examples, workDirectory, keepRunning);
    }

    static Options parse(String[] args) {
      Options options = defaults();
      for (String arg : args) {
        if ("--keep-running".equals(arg)) {
          options = new Options(options.operatorJar, options.examples, options.workDirectory, true);
        } else if (!arg.isBlank()) {
          throw new IllegalArgumentException(
              "unknown option " + arg + "; the only option is --keep-running");
        }
      }
      return options;
    }
  }

  private static final int STEPS = 8;
  private static final String GET_EXAMPLE = "get-link.yaml";
  private static final String PUT_EXAMPLE = "put-link.yaml";
  private static final String POST_EXAMPLE = "post-link.yaml";

  /** Form fields that are credentials: hidden on the screen, like the URL's (R6). */
  private static final Set<String> SECRET_FIELDS =
      Set.of("x-amz-signature", "x-amz-credential", "x-amz-security-token");

  private static final String SHORT_LIVED_LINK = "short-lived-link";
  private static final byte[] DEMO_OBJECT =
      "Hello from S3Proxy: you downloaded this through a presigned URL.\n"
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] UPLOAD =
      "{\"uploadedBy\":\"the presign-operator demo\"}".getBytes(StandardCharsets.UTF_8);
  private static final Duration OPERATOR_START = Duration.ofSeconds(90);
  private static final Duration LINK_READY = Duration.ofSeconds(30);

  /** Held, so that its level stays: the mock server logs every request at INFO. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private static final DateTimeFormatter CLOCK_TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final Options options;
  private final PrintStream out;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private String step = "preparing";
  private boolean stopped;
  private EmbeddedKubernetesApi api;
  private S3ProxyServer s3;
  private OperatorProcess operator;

  private Demo(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(options, System.out));
  }

  /**
   * Runs the walkthrough and stops everything it started.
   *
   * @return the exit status: 0 when every step worked
   */
  public static int run(Options options, PrintStream out) {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    Demo demo = new Demo(options, out);
    // Ctrl+C, at any moment, must not leave S3Proxy or the operator running.
    Thread stopOnExit = new Thread(demo::stopAll, "demo-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      demo.walkThrough();
      if (options.keepRunning()) {
        demo.keepRunning();
      }
      demo.stopAll();
      out.println();
      out.println("Demo finished: every step worked.");
      return 0;
    } catch (Exception e) {
      demo.reportFailure(e);
      demo.stopAll();
      return 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl+C: the hook is stopping everything already.
      }
    }
  }

  private void walkThrough() throws IOException {
    if (!Files.isRegularFile(options.operatorJar())) {
      throw new DemoFailure(
          "the operator jar "
              + options.operatorJar()
              + " does not exist; build it first with ./mvnw package (the demo profile does)");
    }
    PresignedObjectLink getExample = example(GET_EXAMPLE);
    PresignedObjectLink putExample = example(PUT_EXAMPLE);
    PresignedObjectLink postExample = example(POST_EXAMPLE);
    Files.createDirectories(options.workDirectory());
    out.println(
        "presign-operator demo: the real operator, an embedded Kubernetes API and an embedded S3"
            + " server, all on 127.0.0.1.");

    startKubernetesApi();
    startS3(getExample.getSpec(), putExample.getSpec(), postExample.getSpec());
    startOperator();
    downloadThroughGetLink(getExample);
    uploadThroughPutLink(putExample);
    uploadThroughPostForm(postExample);
    rotateShortLivedLink();
    showLinksTable();
  }

  private void startKubernetesApi() throws IOException {
    beginStep(1, "Starting an embedded Kubernetes API (Fabric8 mock server, CRUD mode)");
    api = started(EmbeddedKubernetesApi.start(options.workDirectory().resolve("kubeconfig")));
    say("Listening on " + api.url() + "; a kubeconfig for it is " + api.kubeconfig() + ".");
    say("Installed the PresignedObjectLink CRD from " + InstallCrd.CRD + ".");
  }

  private void startS3(
      PresignedObjectLinkSpec download,
      PresignedObjectLinkSpec upload,
      PresignedObjectLinkSpec form)
      throws IOException {
    beginStep(2, "Starting an embedded S3 server (S3Proxy; it checks signatures and expiry)");
    s3 = started(S3ProxyServer.start());
    s3.createBucket(download.getBucket());
    s3.putObject(download.getBucket(), download.getKey(), DEMO_OBJECT);
    if (!upload.getBucket().equals(download.getBucket())) {
      s3.createBucket(upload.getBucket());
    }
    if (!form.getBucket().equals(download.getBucket())
        && !form.getBucket().equals(upload.getBucket())) {
      s3.createBucket(form.getBucket());
    }
    say("Listening on " + s3.endpoint() + ".");
    say(
        "Bucket "
            + download.getBucket()
            + " holds "
            + download.getKey()
            + " ("
            + DEMO_OBJECT.length
            + " bytes); bucket "
            + upload.getBucket()
            + " receives the uploads.");
  }

  private void startOperator() throws IOException {
    beginStep(3, "Starting the operator: java -jar " + options.operatorJar());
    Path log = options.workDirectory().resolve("operator.log");
    operator = started(OperatorProcess.start(options.operatorJar(), api.kubeconfig(), log));
    say("KUBECONFIG points it at the embedded API; it signs with S3Proxy's key pair, given as");
    say("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Its log: " + log);
    Instant start = Instant.now();
    waitUntil(
        OPERATOR_START,
        () -> Http.get(operator.readiness().toString()).status() == 200,
        () -> "the operator did not report ready at " + operator.readiness());
    say(
        "Ready after "
            + Duration.between(start, Instant.now()).toSeconds()
            + " s ("
            + operator.readiness()
            + " answers 200).");
  }

  private void downloadThroughGetLink(PresignedObjectLink example) {
    beginStep(4, "Applying the download link " + options.examples().resolve(GET_EXAMPLE));
    PresignedObjectLink link = forS3Proxy(example);
    Links links = linksOf(link);
    String name = link.getMetadata().getName();
    links.create(link);
    awaitReady(links, name);
    showSecret(links, name);

    String url = links.currentUrl(name);
    Http.Response response = Http.get(url);
    expectStatus(response, 200, "downloading through the GET URL");
    if (!Arrays.equals(response.body(), DEMO_OBJECT)) {
      throw new DemoFailure(
          "the GET URL answered 200, but with other bytes than the object in S3: "
              + response.text());
    }
    say("Plain HTTP GET of the URL, no credentials: 200 OK, " + response.body().length + " bytes:");
    say("  " + response.text().strip());
  }

  private void uploadThroughPutLink(PresignedObjectLink example) {
    beginStep(5, "Applying the upload link " + options.examples().resolve(PUT_EXAMPLE));
    PresignedObjectLink link = forS3Proxy(example);
    Links links = linksOf(link);
    String name = link.getMetadata().getName();
    links.create(link);
    awaitReady(links, name);
    PresignedObjectLinkSpec spec = link.getSpec();
    // The signed content type is part of the signature: the uploader must send that one.
    String contentType =
        Optional.ofNullable(spec.getContentType()).orElse("application/octet-stream");
    say("Its Secret " + links.get(name).getStatus().getSecretName() + " holds a PUT URL.");

    Http.Response response = Http.put(links.currentUrl(name), UPLOAD, contentType);
    expectStatus(response, 200, "uploading through the PUT URL");
    say(
        "Plain HTTP PUT of "
            + UPLOAD.length
            + " bytes (Content-Type: "
            + contentType
            + ") to the URL: 200 OK.");
    byte[] stored = s3.getObject(spec.getBucket(), spec.getKey());
    if (!Arrays.equals(stored, UPLOAD)) {
      throw new DemoFailure(
          "the PUT URL answered 200, but "
              + spec.getBucket()
              + "/"
              + spec.getKey()
              + " holds other bytes than the upload");
    }
    say(
        "Read back from S3: "
            + spec.getBucket()
            + "/"
            + spec.getKey()
            + " = "
            + new String(stored, StandardCharsets.UTF_8));
  }

  /** A form with a size limit: an upload within it is stored, one over it refused by S3. */
  private void uploadThroughPostForm(PresignedObjectLink example) {
    beginStep(
        6, "Applying the upload form with limits " + options.examples().resolve(POST_EXAMPLE));
    PresignedObjectLink link = forS3Proxy(example);
    Links links = linksOf(link);
    String name = link.getMetadata().getName();
    links.create(link);
    awaitReady(links, name);
    Secret secret = links.secret(links.get(name).getStatus().getSecretName());
    say("Its Secret " + secret.getMetadata().getName() + " holds the form (credentials hidden):");
    say("  data.url: " + Links.data(secret, "url") + "   (the form's action)");
    Map<String, String> fields = FormFields.fromJson(Links.data(secret, "fields"));
    say("  data.fields:");
    fields.forEach(
        (field, value) ->
            say(
                "    "
                    + field
                    + ": "
                    + (SECRET_FIELDS.contains(field)
                        ? "REDACTED"
                        : field.equals("policy")
                            ? "<the signed policy, base64, " + value.length() + " characters>"
                            : value)));
    Upload limits = link.getSpec().getUpload();
    long maxSize = Quantity.getAmountInBytes(limits.getMaxSize()).longValueExact();
    String contentType = limits.getContentType() + "png";
    byte[] picture = new byte[1024];
    Http.Response accepted = postForm(links, name, fields, contentType, picture);
    int expected = Optional.ofNullable(limits.getSuccessActionStatus()).orElse(204);
    expectStatus(accepted, expected, "uploading through the POST form");
    String key = link.getSpec().getKey().replace("${filename}", "picture.png");
    say(
        "curl -F style POST of picture.png, "
            + picture.length
            + " bytes (Content-Type: "
            + contentType
            + "): "
            + accepted.status()
            + "; stored as "
            + key
            + " ("
            + s3.getObject(link.getSpec().getBucket(), key).length
            + " bytes).");
    Http.Response refused = postForm(links, name, fields, contentType, new byte[(int) maxSize + 1]);
    if (refused.status() != 400 || !refused.text().contains("EntityTooLarge")) {
      throw new DemoFailure(
          "an upload one byte over maxSize must be refused with 400 EntityTooLarge, but S3"
              + " answered "
              + refused.status()
              + ": "
              + refused.text());
    }
    say(
        "The same with "
            + (maxSize + 1)
            + " bytes, one over maxSize "
            + limits.getMaxSize()
            + ": "
            + refused.status()
            + " EntityTooLarge. S3 itself enforces the signed limits.");
  }

  private static Http.Response postForm(
      Links links, String name, Map<String, String> fields, String contentType, byte[] file) {
    Map<String, String> form = new LinkedHashMap<>(fields);
    form.put("Content-Type", contentType);
    return Http.postForm(links.currentUrl(name), form, "picture.png", file);
  }

  private void rotateShortLivedLink() throws IOException {
    beginStep(7, "Applying a short-lived link, to see a rotation");
    PresignedObjectLink link = forS3Proxy(example(GET_EXAMPLE));
    link.getMetadata().setName(SHORT_LIVED_LINK);
    // Its own Secret: two links never share one (rule R5).
    link.getSpec().setSecretTemplate(null);
    link.getSpec().setExpiresIn("1m");
    link.getSpec().setRenewBefore("40s");
    say(
        SHORT_LIVED_LINK
            + " is the download example with expiresIn: 1m and renewBefore: 40s, so the operator"
            + " replaces");
    say("its URL about 20 s after issuing it, 40 s before the URL expires.");
    Links links = linksOf(link);
    links.create(link);
    PresignedObjectLinkStatus first = awaitReady(links, SHORT_LIVED_LINK);
    String firstUrl = links.currentUrl(SHORT_LIVED_LINK);
    expectStatus(Http.get(firstUrl), 200, "downloading through the short-lived link's first URL");
    say(
        "First URL issued at "
            + time(first.getIssuedAt())
            + ", valid until "
            + time(first.getExpiresAt())
            + "; planned rotation at "
            + time(first.getRenewalTime())
            + ". Waiting for it...");

    Duration untilRotation =
        Duration.between(Instant.now(), Instant.parse(first.getRenewalTime())).plus(LINK_READY);
    waitUntil(
        untilRotation,
        () -> !firstUrl.equals(links.currentUrl(SHORT_LIVED_LINK)),
        () ->
            "the operator did not replace the URL of "
                + SHORT_LIVED_LINK
                + " after its renewal time");
    String secondUrl = links.currentUrl(SHORT_LIVED_LINK);
    Instant rotatedAt = Instant.now();
    int oldStatus = Http.get(firstUrl).status();
    int newStatus = Http.get(secondUrl).status();
    PresignedObjectLinkStatus second = links.get(SHORT_LIVED_LINK).getStatus();
    say("The Secret holds a new URL at " + CLOCK_TIME.format(rotatedAt) + ". At that moment:");
    say("  old URL (valid until " + time(first.getExpiresAt()) + "): GET -> " + oldStatus);
    say("  new URL (valid until " + time(second.getExpiresAt()) + "): GET -> " + newStatus);
    if (oldStatus != 200 || newStatus != 200) {
      throw new DemoFailure(
          "at the rotation both URLs must work, but the old one answered "
              + oldStatus
              + " and the new one "
              + newStatus);
    }
    say("A reader that took the old URL just before the rotation keeps a working link.");
  }

  private void showLinksTable() {
    beginStep(8, "The links as kubectl get plink -A shows them (the CRD's printer columns)");
    List<JsonNode> links =
        api
            .client()
            .resources(PresignedObjectLink.class)
            .inAnyNamespace()
            .list()
            .getItems()
            .stream()
            .sorted(
                Comparator.comparing(
                        (PresignedObjectLink link) -> link.getMetadata().getNamespace())
                    .thenComparing(link -> link.getMetadata().getName()))
            .map(link -> serialization.convertValue(link, JsonNode.class))
            .toList();
    PrinterColumns.of(InstallCrd.crd()).table(links, Instant.now()).forEach(this::say);
  }

  private void keepRunning() throws InterruptedException {
    Path kubeconfig = api.kubeconfig().toAbsolutePath();
    out.println();
    out.println("Everything keeps running until you press Ctrl+C.");
    say("Kubernetes API: " + api.url());
    say("kubeconfig:     " + kubeconfig);
    say(
        "S3 (S3Proxy):   "
            + s3.endpoint()
            + ", key pair "
            + S3ProxyServer.ACCESS_KEY_ID
            + " / "
            + S3ProxyServer.SECRET_ACCESS_KEY);
    say("operator log:   " + operator.log().toAbsolutePath());
    say("Try (the embedded API answers plain reads and writes; it renders no printer columns");
    say("and serves no OpenAPI schema, hence NAME and AGE only, and --validate=false):");
    say("  export KUBECONFIG=" + kubeconfig);
    say("  kubectl get plink -A");
    say("  kubectl get plink " + SHORT_LIVED_LINK + " -o yaml");
    say("  kubectl get secrets");
    say(
        "  kubectl apply --validate=false -f my-link.yaml   # with spec.endpoint: "
            + s3.endpoint());
    new CountDownLatch(1).await();
  }

  /**
   * The example as written for a real cluster, but signed for S3Proxy: its endpoint, path-style
   * addressing, and the operator's own identity, which holds S3Proxy's key pair.
   */
  private PresignedObjectLink forS3Proxy(PresignedObjectLink example) {
    PresignedObjectLinkSpec spec = example.getSpec();
    spec.setEndpoint(s3.endpoint().toString());
    spec.setForcePathStyle(true);
    String identity = "";
    if (spec.getCredentials() != null) {
      spec.setCredentials(null);
      identity = ", credentials removed (the operator's identity is S3Proxy's key pair)";
    }
    say(
        "As written, except spec.endpoint: "
            + s3.endpoint()
            + " and spec.forcePathStyle: true"
            + identity
            + ".");
    return example;
  }

  private PresignedObjectLinkStatus awaitReady(Links links, String name) {
    waitUntil(
        LINK_READY,
        () -> links.ready(name).map(ready -> "True".equals(ready.getStatus())).orElse(false),
        () ->
            "the link "
                + name
                + " did not become Ready: "
                + links
                    .ready(name)
                    .map(
                        ready ->
                            "its Ready condition is "
                                + ready.getStatus()
                                + ", "
                                + ready.getReason()
                                + ": "
                                + ready.getMessage())
                    .orElse("it has no status, so the operator has not reconciled it"));
    PresignedObjectLink link = links.get(name);
    say(
        "PresignedObjectLink "
            + link.getMetadata().getNamespace()
            + "/"
            + name
            + " is Ready: "
            + links.ready(name).orElseThrow().getMessage()
            + ".");
    return link.getStatus();
  }

  private void showSecret(Links links, String name) {
    PresignedObjectLink link = links.get(name);
    Secret secret = links.secret(link.getStatus().getSecretName());
    say(
        "Secret "
            + secret.getMetadata().getNamespace()
            + "/"
            + secret.getMetadata().getName()
            + ", written by the operator (the URL's signature and credential are hidden on this"
            + " screen):");
    say(
        "  labels: "
            + new TreeMap<>(secret.getMetadata().getLabels())
                .entrySet().stream()
                    .map(label -> label.getKey() + "=" + label.getValue())
                    .collect(Collectors.joining(", ")));
    secret
        .getMetadata()
        .getOwnerReferences()
        .forEach(owner -> say("  owner:  " + owner.getKind() + " " + owner.getName()));
    new TreeMap<>(secret.getData())
        .keySet()
        .forEach(key -> say("  data." + key + ": " + UrlRedaction.redact(Links.data(secret, key))));
  }

  private Links linksOf(PresignedObjectLink link) {
    String namespace = Optional.ofNullable(link.getMetadata().getNamespace()).orElse("default");
    link.getMetadata().setNamespace(namespace);
    return new Links(api.client(), namespace, s3.endpoint());
  }

  private PresignedObjectLink example(String file) throws IOException {
    Path path = options.examples().resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new DemoFailure("the example " + path + " does not exist");
    }
    try (InputStream yaml = Files.newInputStream(path)) {
      return serialization.unmarshal(yaml, PresignedObjectLink.class);
    }
  }

  /**
   * Waits for {@code condition}; gives up early when the operator is gone.
   *
   * @param failure what did not happen, said when the wait gives up
   */
  private void waitUntil(Duration timeout, Callable<Boolean> condition, Supplier<String> failure) {
    ConditionFactory wait =
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    if (operator != null) {
      wait = wait.failFast(() -> !operator.isAlive());
    }
    try {
      wait.until(condition);
    } catch (ConditionTimeoutException e) {
      throw new DemoFailure(failure.get() + " within " + timeout.toSeconds() + " s");
    } catch (TerminalFailureException e) {
      throw new DemoFailure(operator.exitDescription() + ", so " + failure.get());
    }
  }

  private static void expectStatus(Http.Response response, int expected, String action) {
    if (response.status() != expected) {
      throw new DemoFailure(
          action
              + " answered HTTP "
              + response.status()
              + " instead of "
              + expected
              + ": "
              + UrlRedaction.redact(response.text()));
    }
  }

  private <T extends AutoCloseable> T started(T resource) {
    running.push(resource);
    return resource;
  }

  /** Stops what was started, the last first; safe to call again. */
  private synchronized void stopAll() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (!running.isEmpty()) {
      out.println();
      out.println("Stopping the operator, S3Proxy and the embedded Kubernetes API.");
    }
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        out.println("  could not stop cleanly: " + e);
      }
    }
  }

  private synchronized void reportFailure(Exception e) {
    if (stopped) {
      // Interrupted by Ctrl+C: the steps fail because their servers are gone, as asked.
      return;
    }
    out.println();
    out.println("FAILED at " + step + ":");
    out.println("  " + UrlRedaction.redact(describe(e)));
    if (operator != null) {
      out.println("The operator's log is " + operator.log() + "; its last lines:");
      operator.lastLogLines(20).forEach(line -> out.println("  | " + UrlRedaction.redact(line)));
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof DemoFailure) {
      return e.getMessage();
    }
    StringBuilder description = new StringBuilder(e.toString());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      description.append("\n  caused by ").append(cause);
    }
    return description.toString();
  }

  private void beginStep(int number, String title) {
    step = "step " + number + "/" + STEPS + " (" + title + ")";
    out.println();
    out.println("[" + number + "/" + STEPS + "] " + title);
  }

  private void say(String line) {
    out.println("      " + line);
  }

  private static String time(String timestamp) {
    return CLOCK_TIME.format(Instant.parse(timestamp));
  }
}
