package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The operator's client writes the fields of a spec it could not read back as they were stored. The
 * SDK hands the reconciler a copy of each link made by writing and reading it again; without this,
 * the copy would lose what made the link invalid and look like a valid link with defaults. Only the
 * client's mapper does so: the CRD schema, generated from the types, does not change.
 */
@Singleton
public class UnreadableFieldsKept implements KubernetesClientObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.addMixIn(PresignedObjectLinkSpec.class, SpecWithUnreadableFields.class);
  }

  private abstract static class SpecWithUnreadableFields {
    @JsonIgnore(false)
    @JsonAnyGetter
    abstract Map<String, JsonNode> getUnreadable();
  }
}
