package dev.presign.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API's watches start where the client asks, as a real API server's do. */
class WatchFromVersionDispatcherTest {

  @TempDir Path directory;

  @Test
  void aWatchFromTheVersionOfAListIsSentOnlyWhatWasWrittenAfterIt() throws Exception {
    try (EmbeddedKubernetesApi api = EmbeddedKubernetesApi.start(directory.resolve("kubeconfig"))) {
      KubernetesClient client = api.client();
      client.resource(secret("before-1")).create();
      client.resource(secret("before-2")).create();
      String listed =
          client.secrets().inNamespace("team").list().getMetadata().getResourceVersion();
      client.resource(secret("after")).create();

      List<String> fromList = new CopyOnWriteArrayList<>();
      List<String> fromStart = new CopyOnWriteArrayList<>();
      try (Watch fromVersion =
              client
                  .secrets()
                  .inNamespace("team")
                  .watch(
                      new ListOptionsBuilder().withResourceVersion(listed).build(), to(fromList));
          Watch unversioned = client.secrets().inNamespace("team").watch(to(fromStart))) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fromStart.size() == 3);
        client.resource(secret("later")).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> fromList.contains("ADDED later"));

        assertThat(fromList).containsExactly("ADDED after", "ADDED later");
        assertThat(fromStart)
            .startsWith("ADDED before-1", "ADDED before-2", "ADDED after")
            .contains("ADDED later");
      }
    }
  }

  private static Secret secret(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace("team")
        .withName(name)
        .endMetadata()
        .addToStringData("k", "v")
        .build();
  }

  private static Watcher<Secret> to(List<String> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Secret secret) {
        seen.add(action + " " + secret.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
