package dev.presign.cli;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** How the commands reach links and their events. */
final class Links {

  static final String KIND = "presignedobjectlink.presign.dev";
  static final String ROTATE_REQUESTED_AT = "presign.dev/rotate-requested-at";

  private Links() {}

  static MixedOperation<
          PresignedObjectLink,
          KubernetesResourceList<PresignedObjectLink>,
          Resource<PresignedObjectLink>>
      of(KubernetesClient client) {
    return client.resources(PresignedObjectLink.class);
  }

  /** The links of a namespace (or all, when namespace is null), optionally by label selector. */
  static List<PresignedObjectLink> list(
      KubernetesClient client, String namespace, String selector) {
    var scoped =
        namespace == null ? of(client).inAnyNamespace() : of(client).inNamespace(namespace);
    var selected = selector == null ? scoped : scoped.withLabelSelector(selector);
    return selected.list().getItems().stream()
        .sorted(
            Comparator.comparing((PresignedObjectLink l) -> l.getMetadata().getNamespace())
                .thenComparing(l -> l.getMetadata().getName()))
        .toList();
  }

  /** The events of one link, as kubectl describe finds them. */
  static List<Event> events(KubernetesClient client, PresignedObjectLink link) {
    return client
        .v1()
        .events()
        .inNamespace(link.getMetadata().getNamespace())
        .withFields(
            Map.of(
                "involvedObject.name",
                link.getMetadata().getName(),
                "involvedObject.kind",
                "PresignedObjectLink"))
        .list()
        .getItems();
  }

  static String notFound(String name) {
    return "Error from server (NotFound): presignedobjectlinks.presign.dev \""
        + name
        + "\" not found";
  }
}
