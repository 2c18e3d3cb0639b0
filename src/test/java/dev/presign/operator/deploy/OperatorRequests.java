package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.deploy.OperatorPermissions.Permission;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The RBAC permissions behind the requests an operator made to the mock API server. */
final class OperatorRequests {

  private static final Pattern RESOURCE_PATH =
      Pattern.compile(
          "^/(?:api/v1|apis/(?<group>[^/]+)/[^/]+)(?:/namespaces/[^/]+)?"
              + "/(?<resource>[^/?]+)(?:/(?<name>[^/?]+)(?:/(?<subresource>[^/?]+))?)?(?:\\?.*)?$");

  private static final Pattern WRITTEN_SECRET =
      Pattern.compile("^/api/v1/namespaces/(?<namespace>[^/]+)/secrets(?:/(?<name>[^/?]+))?$");

  private OperatorRequests() {}

  /**
   * Takes every request recorded since the server started, leaves out those of the test code (its
   * user agent), and returns what RBAC must allow for the others.
   */
  static Set<Permission> permissionsUsed(KubernetesMockServer server) {
    Set<Permission> used = new TreeSet<>();
    try {
      RecordedRequest request;
      while ((request = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
        if (!MockApiServer.TEST_USER_AGENT.equals(request.getHeader("User-Agent"))) {
          used.add(permission(request));
          ownerReferencePermission(server, request).ifPresent(used::add);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while reading the recorded requests", e);
    }
    return used;
  }

  /**
   * What the OwnerReferencesPermissionEnforcement admission plugin asks of a create or update that
   * sets blockOwnerDeletion on an ownerReference: update on the owner's finalizers subresource. The
   * mock server keeps no request body once it has stored the object, so the object written is read
   * back (one deleted since, such as a renamed Secret, is skipped).
   */
  private static Optional<Permission> ownerReferencePermission(
      KubernetesMockServer server, RecordedRequest request) {
    if (!Set.of("POST", "PUT").contains(request.getMethod())) {
      return Optional.empty();
    }
    Matcher path = WRITTEN_SECRET.matcher(request.getPath());
    if (!path.matches()) {
      return Optional.empty();
    }
    // Under the tests' user agent, so that this read is not taken for one of the operator's.
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(server.createClient().getConfiguration())
                    .withUserAgent(MockApiServer.TEST_USER_AGENT)
                    .build())
            .build()) {
      return client.secrets().inNamespace(path.group("namespace")).list().getItems().stream()
          .filter(
              written ->
                  path.group("name") == null
                      || path.group("name").equals(written.getMetadata().getName()))
          .flatMap(secret -> secret.getMetadata().getOwnerReferences().stream())
          .filter(owner -> Boolean.TRUE.equals(owner.getBlockOwnerDeletion()))
          .findFirst()
          .map(
              owner ->
                  new Permission(
                      owner.getApiVersion().split("/")[0],
                      HasMetadata.getPlural(PresignedObjectLink.class) + "/finalizers",
                      "update"));
    }
  }

  static Permission permission(RecordedRequest request) {
    Matcher path = RESOURCE_PATH.matcher(request.getPath());
    assertThat(path.matches()).as("a resource request: " + request.getRequestLine()).isTrue();
    String group = path.group("group") == null ? "" : path.group("group");
    String resource =
        path.group("subresource") == null
            ? path.group("resource")
            : path.group("resource") + "/" + path.group("subresource");
    boolean named = path.group("name") != null;
    String verb =
        switch (request.getMethod()) {
          case "GET" -> named ? "get" : request.getPath().contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> request.getMethod();
        };
    return new Permission(group, resource, verb);
  }
}
