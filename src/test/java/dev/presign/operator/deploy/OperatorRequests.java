package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.deploy.OperatorPermissions.Permission;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
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
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while reading the recorded requests", e);
    }
    return used;
  }

  private static Permission permission(RecordedRequest request) {
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
