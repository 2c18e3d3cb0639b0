package dev.presign.operator.demo;

import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;

/**
 * Answers the discovery requests with which kubectl learns what the server serves ({@code /api},
 * {@code /apis}, {@code /version}...), which the CRUD mock server does not, and passes every other
 * request to it. Without these, kubectl knows no resource type, not even Secrets.
 */
final class DiscoveryDispatcher extends Dispatcher {

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final Dispatcher crud;
  private final Map<String, String> documents;

  DiscoveryDispatcher(Dispatcher crud, CustomResourceDefinition crd) {
    this.crud = crud;
    this.documents = documents(crd, new KubernetesSerialization());
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath().replaceFirst("\\?.*", "");
    String document = "GET".equals(request.getMethod()) ? documents.get(path) : null;
    if (document == null) {
      return crud.dispatch(request);
    }
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(document);
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }

  private static Map<String, String> documents(
      CustomResourceDefinition crd, KubernetesSerialization json) {
    String group = crd.getSpec().getGroup();
    String version = crd.getSpec().getVersions().get(0).getName();
    CustomResourceDefinitionNames names = crd.getSpec().getNames();
    APIResource custom =
        new APIResourceBuilder()
            .withName(names.getPlural())
            .withSingularName(names.getSingular())
            .withKind(names.getKind())
            .withShortNames(names.getShortNames())
            .withCategories(names.getCategories())
            .withNamespaced("Namespaced".equals(crd.getSpec().getScope()))
            .withVerbs(VERBS)
            .build();
    return Map.of(
        "/version",
        json.asJson(Map.of("major", "1", "minor", "32", "gitVersion", "v1.32.0-fabric8-mock")),
        "/api",
        json.asJson(new APIVersionsBuilder().withVersions("v1").build()),
        "/api/v1",
        json.asJson(
            new APIResourceListBuilder()
                .withGroupVersion("v1")
                .withResources(
                    resource("secrets", "Secret", true),
                    resource("events", "Event", true),
                    resource("namespaces", "Namespace", false))
                .build()),
        "/apis",
        json.asJson(
            new APIGroupListBuilder()
                .addNewGroup()
                .withName(group)
                .withVersions(new GroupVersionForDiscovery(group + "/" + version, version))
                .withPreferredVersion(new GroupVersionForDiscovery(group + "/" + version, version))
                .endGroup()
                .addNewGroup()
                .withName("apiextensions.k8s.io")
                .withVersions(new GroupVersionForDiscovery("apiextensions.k8s.io/v1", "v1"))
                .withPreferredVersion(new GroupVersionForDiscovery("apiextensions.k8s.io/v1", "v1"))
                .endGroup()
                .build()),
        "/apis/" + group + "/" + version,
        json.asJson(
            new APIResourceListBuilder()
                .withGroupVersion(group + "/" + version)
                .withResources(custom)
                .build()),
        "/apis/apiextensions.k8s.io/v1",
        json.asJson(
            new APIResourceListBuilder()
                .withGroupVersion("apiextensions.k8s.io/v1")
                .withResources(
                    new APIResourceBuilder(
                            resource(
                                "customresourcedefinitions", "CustomResourceDefinition", false))
                        .withShortNames("crd", "crds")
                        .build())
                .build()));
  }

  private static APIResource resource(String plural, String kind, boolean namespaced) {
    return new APIResourceBuilder()
        .withName(plural)
        .withKind(kind)
        .withNamespaced(namespaced)
        .withVerbs(VERBS)
        .build();
  }
}
