package dev.presign.operator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events go out from a queue of their own (LinkEvents). When the operator stops with events still
 * queued, as after a burst of issues, they are dropped with one line: sent into the client the SDK
 * has closed, each ended the sending thread with a stack trace in the operator's last log lines.
 */
class LinkEventsTest {

  private static final String EVENTS = "/api/v1/namespaces/team/events";

  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private Thread.UncaughtExceptionHandler previousHandler;
  private KubernetesMockServer server;

  @BeforeEach
  void catchUncaughtExceptions() {
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
  }

  @AfterEach
  void restore() {
    Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    server.destroy();
  }

  @Test
  void eventsQueuedWhenTheOperatorStopsAreDroppedNotSentIntoTheClosedClient() throws Exception {
    server = new KubernetesMockServer(false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger received = new AtomicInteger();
    // The API server holds the first event while the others queue behind it.
    server
        .expect()
        .post()
        .withPath(EVENTS)
        .andReply(
            201,
            request -> {
              received.incrementAndGet();
              firstArrived.countDown();
              try {
                answer.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return request.getBody().readUtf8();
            })
        .always();
    KubernetesClient client = server.createClient();
    LinkEvents events = new LinkEvents(client, Clock.systemUTC());
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("report").build());

    for (int i = 0; i < 3; i++) {
      events.record(link, EventReason.Issued, "Wrote a new URL");
    }
    assertThat(firstArrived.await(10, TimeUnit.SECONDS)).as("the first event was sent").isTrue();
    // As Quarkus stops: the ShutdownEvent, then the SDK closes the client.
    events.stop(null);
    client.close();
    answer.countDown();
    events.record(link, EventReason.Issued, "Wrote a new URL after the stop");

    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(uncaught).as("exceptions that ended a thread").isEmpty();
    assertThat(received).as("events that reached the API server").hasValue(1);
  }
}
