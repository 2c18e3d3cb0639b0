package dev.presign.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.EventList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The run that fills the launcher's class-data archive (kubectl-presign.sh): it loads what a
 * command loads, the command line, the client against a kubeconfig of a closed port on the loopback
 * address, a link and its events read and shown in every form, without contacting any cluster.
 */
public final class Training {

  private Training() {}

  public static void main(String[] args) throws IOException {
    Path kubeconfig = Files.createTempFile("kubectl-presign-training", ".yaml");
    try {
      Files.writeString(
          kubeconfig,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: training
            cluster: {server: "https://127.0.0.1:1"}
          contexts:
          - name: training
            context: {cluster: training, user: training, namespace: training}
          current-context: training
          users:
          - name: training
            user: {token: training}
          """);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      for (String[] command :
          List.of(
              new String[] {"status", "q3-report", "--kubeconfig", kubeconfig.toString()},
              new String[] {"url", "q3-report", "--kubeconfig", kubeconfig.toString()},
              new String[] {"status", "--help"})) {
        PresignCommand.execute(
            Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err), command);
      }
      KubeOptions kube = new KubeOptions();
      kube.kubeconfig = kubeconfig.toFile();
      try (var client = kube.client()) {
        var serialization = client.getKubernetesSerialization();
        var links =
            serialization.unmarshal(
                new ByteArrayInputStream(SAMPLE.getBytes(StandardCharsets.UTF_8)),
                new TypeReference<DefaultKubernetesResourceList<PresignedObjectLink>>() {});
        var events = serialization.unmarshal(EVENTS, EventList.class);
        for (PresignedObjectLink link : links.getItems()) {
          LinkFacts facts = LinkFacts.of(link, events.getItems());
          new StatusView(Clock.systemUTC()).render(facts);
          Output.json.write(Map.of("links", List.of(facts)));
          Output.yaml.write(Map.of("links", List.of(facts)));
          serialization.asYaml(link);
        }
      }
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }

  private static final String SAMPLE =
      """
      {"apiVersion":"v1","kind":"List","items":[{"apiVersion":"presign.dev/v1alpha1",
      "kind":"PresignedObjectLink","metadata":{"name":"q3-report","namespace":"training",
      "generation":1,"annotations":{"presign.dev/rotate-requested-at":"2026-01-01T00:00:00Z"}},
      "spec":{"bucket":"acme-reports","key":"q3.pdf","method":"GET","expiresIn":"12h",
      "credentials":{"serviceAccountName":"reader"},
      "restartTargets":[{"kind":"Deployment","name":"mailer"}]},
      "status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True",
      "reason":"Issued","message":"URL valid until 2026-01-01T12:00:00Z; next rotation 2026-01-01T08:00:00Z",
      "lastTransitionTime":"2026-01-01T00:00:00Z","observedGeneration":1},
      {"type":"Verified","status":"False","reason":"NoSuchKey","message":"no such key",
      "lastTransitionTime":"2026-01-01T00:00:00Z"}],"secretName":"q3-report",
      "issuedAt":"2026-01-01T00:00:00Z","expiresAt":"2026-01-01T12:00:00Z",
      "renewalTime":"2026-01-01T08:00:00Z","credentialsExpireAt":"2026-01-01T01:00:00Z",
      "rotations":1,"urlDigest":"sha256:0","restarts":[{"kind":"Deployment","name":"mailer",
      "restartedAt":"2026-01-01T00:00:00Z"}],"lastHandledRotationRequest":"x"}}]}
      """;

  private static final String EVENTS =
      """
      {"apiVersion":"v1","kind":"EventList","items":[{"metadata":{"name":"q3-report.1",
      "namespace":"training"},"involvedObject":{"kind":"PresignedObjectLink","name":"q3-report"},
      "reason":"Issued","type":"Normal","message":"issued","count":1,
      "firstTimestamp":"2026-01-01T00:00:00Z","lastTimestamp":"2026-01-01T00:00:00Z"}]}
      """;
}
