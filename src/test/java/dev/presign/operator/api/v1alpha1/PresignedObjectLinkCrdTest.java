package dev.presign.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.it.InstallCrd;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated CRD as users meet it: names, printer columns, and a description for every field
 * (kubectl explain). What its schema limits and CEL rules accept or refuse is decided by a real API
 * server (realapi/LinksOnRealApiServerIT).
 */
class PresignedObjectLinkCrdTest {

  private static final CustomResourceDefinition CRD = InstallCrd.crd();

  private static CustomResourceDefinitionVersion version() {
    return CRD.getSpec().getVersions().get(0);
  }

  private static JSONSchemaProps spec() {
    return version().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  @Test
  void namesAndPrinterColumns() {
    assertThat(CRD.getMetadata().getName()).isEqualTo("presignedobjectlinks.presign.dev");
    assertThat(CRD.getSpec().getNames().getShortNames()).contains("plink");
    assertThat(version().getName()).isEqualTo("v1alpha1");
    assertThat(version().getSubresources().getStatus()).isNotNull();
    assertThat(version().getAdditionalPrinterColumns())
        .extracting(column -> column.getName())
        .containsSubsequence("Bucket", "Key", "Method", "Ready", "Expires", "Renewal", "Age");
  }

  @Test
  void everyFieldIsDescribedForKubectlExplain() {
    List<String> undocumented = new ArrayList<>();
    undescribed("spec", spec(), undocumented);
    undescribed(
        "status",
        version().getSchema().getOpenAPIV3Schema().getProperties().get("status"),
        undocumented);
    assertThat(undocumented).isEmpty();
  }

  private static void undescribed(String path, JSONSchemaProps schema, List<String> found) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      found.add(path);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> undescribed(path + "." + name, child, found));
    }
    // Conditions are the standard Kubernetes Condition type, documented with the Kubernetes API.
    if (schema.getItems() != null
        && schema.getItems().getSchema() != null
        && !path.equals("status.conditions")) {
      JSONSchemaProps items = schema.getItems().getSchema();
      if (items.getProperties() != null) {
        items
            .getProperties()
            .forEach((name, child) -> undescribed(path + "[]." + name, child, found));
      }
    }
  }
}
