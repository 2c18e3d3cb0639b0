package dev.presign.operator.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A loopback stand-in for AWS STS that speaks AssumeRoleWithWebIdentity (form POST in, XML out),
 * records each call, and hands out S3Proxy's key pair with a session token, so that a URL signed
 * with the session works against S3Proxy. It can also fail as STS does in an outage: answer every
 * call with an error (503, Throttling), or take calls and never answer them.
 */
public final class StsStandIn implements AutoCloseable {

  /** One AssumeRoleWithWebIdentity call as STS received it. */
  public record Call(String roleArn, String sessionName, String token, int durationSeconds) {}

  /** An error STS answers every call with, until {@link #answer()}. */
  private record Outage(int status, String code, String message) {}

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Set<String> refusedRoles = new CopyOnWriteArraySet<>();
  private volatile Duration longestSession = Duration.ofHours(12);
  private volatile Optional<Outage> outage = Optional.empty();
  private volatile CountDownLatch hang = new CountDownLatch(0);

  public StsStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // A call that hangs must not hold the others.
    server.setExecutor(handlers);
    server.start();
  }

  /** Every call is answered 503 ServiceUnavailable, as STS in an outage (no longer hanging). */
  public void failEveryCall() {
    failWith(new Outage(503, "ServiceUnavailable", "Service is unable to handle request"));
  }

  /** Every call is answered 400 Throttling, as STS over its request rate (no longer hanging). */
  public void throttleEveryCall() {
    failWith(new Outage(400, "Throttling", "Rate exceeded"));
  }

  private void failWith(Outage error) {
    outage = Optional.of(error);
    hang.countDown();
  }

  /** Calls are taken and never answered (the client's timeout ends them). */
  public void hangEveryCall() {
    hang = new CountDownLatch(1);
  }

  /** Back to answering every call at once, with a session. */
  public void answer() {
    outage = Optional.empty();
    hang.countDown();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls that asked for {@code roleArn}. */
  public List<Call> callsFor(String roleArn) {
    return calls.stream().filter(call -> call.roleArn().equals(roleArn)).toList();
  }

  /** Sessions end after this, whatever was asked (as a role's MaxSessionDuration would do). */
  public void limitSessionsTo(Duration longest) {
    longestSession = longest;
  }

  public void refuse(String roleArn) {
    refusedRoles.add(roleArn);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        Arrays.stream(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    .split("&"))
            .map(pair -> pair.split("=", 2))
            .collect(
                Collectors.toMap(
                    pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                    pair ->
                        pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : ""));
    if (!"AssumeRoleWithWebIdentity".equals(form.get("Action"))) {
      respond(exchange, 400, error("InvalidAction", "unsupported " + form.get("Action")));
      return;
    }
    String roleArn = form.get("RoleArn");
    int duration = Integer.parseInt(form.getOrDefault("DurationSeconds", "3600"));
    calls.add(
        new Call(roleArn, form.get("RoleSessionName"), form.get("WebIdentityToken"), duration));
    try {
      hang.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Optional<Outage> failing = outage;
    if (failing.isPresent()) {
      respond(
          exchange, failing.get().status(), error(failing.get().code(), failing.get().message()));
      return;
    }
    if (refusedRoles.contains(roleArn)) {
      respond(
          exchange,
          403,
          error("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
      return;
    }
    Duration granted = Duration.ofSeconds(duration);
    if (granted.compareTo(longestSession) > 0) {
      granted = longestSession;
    }
    Instant expiration = Instant.now().plus(granted).truncatedTo(ChronoUnit.SECONDS);
    respond(
        exchange,
        200,
        """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <Credentials>
              <AccessKeyId>%s</AccessKeyId>
              <SecretAccessKey>%s</SecretAccessKey>
              <SessionToken>session-%d</SessionToken>
              <Expiration>%s</Expiration>
            </Credentials>
            <AssumedRoleUser>
              <Arn>%s/%s</Arn>
              <AssumedRoleId>AROAEXAMPLE:%s</AssumedRoleId>
            </AssumedRoleUser>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata><RequestId>%d</RequestId></ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """
            .formatted(
                S3ProxyServer.ACCESS_KEY_ID,
                S3ProxyServer.SECRET_ACCESS_KEY,
                calls.size(),
                expiration,
                roleArn,
                form.get("RoleSessionName"),
                form.get("RoleSessionName"),
                calls.size()));
  }

  private static String error(String code, String message) {
    return """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
          <RequestId>refused</RequestId>
        </ErrorResponse>
        """
        .formatted(code, message);
  }

  private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    hang.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }
}
