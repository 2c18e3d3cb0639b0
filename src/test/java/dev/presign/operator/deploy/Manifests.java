package dev.presign.operator.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The install manifests as a user gets them: the rendered chart, and deploy/ as kustomize reads it.
 * Public for the tests on a real API server (realapi), which install them.
 */
public final class Manifests {

  public static final Path CHART = Path.of("charts/presign-operator");
  public static final Path DEPLOY = Path.of("deploy");
  public static final String RELEASE = "presign";
  public static final String RELEASE_NAMESPACE = "presign-system";

  /**
   * helm-java's default is 1.20, older than the chart's kubeVersion; render for a current cluster.
   */
  static final String KUBE_VERSION = "1.31.0";

  private Manifests() {}

  /** helm template presign charts/presign-operator -n presign-system [...], CRDs left out. */
  public static List<HasMetadata> renderChart(Consumer<TemplateCommand> options) {
    TemplateCommand template =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(RELEASE_NAMESPACE)
            .withKubeVersion(KUBE_VERSION)
            .skipCrds();
    options.accept(template);
    return parse(template.call());
  }

  public static List<HasMetadata> renderChart() {
    return renderChart(template -> {});
  }

  public static Path testValues(String name) {
    return Path.of("src/test/resources/chart", name);
  }

  /** The files deploy/kustomization.yaml lists under resources, in order. */
  @SuppressWarnings("unchecked")
  public static List<Path> kustomizeResources() {
    Map<String, Object> kustomization =
        Serialization.unmarshal(read(DEPLOY.resolve("kustomization.yaml")), Map.class);
    return ((List<String>) kustomization.get("resources")).stream().map(DEPLOY::resolve).toList();
  }

  public static List<HasMetadata> parseFile(Path file) {
    return parse(read(file));
  }

  public static List<HasMetadata> parse(String yaml) {
    Object parsed = Serialization.unmarshal(yaml);
    if (parsed instanceof KubernetesList list) {
      return list.getItems();
    }
    if (parsed instanceof List<?> list) {
      return list.stream().map(HasMetadata.class::cast).toList();
    }
    return parsed == null ? List.of() : List.of((HasMetadata) parsed);
  }

  public static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  public static Optional<HasMetadata> ofKind(List<HasMetadata> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).findFirst();
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
