package dev.presign.operator.consumers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presign.operator.api.v1alpha1.UnreadableFieldsKept;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** The operator's client mapper, with the customizers Quarkus applies to it. */
public final class OperatorSerialization {

  private OperatorSerialization() {}

  public static KubernetesSerialization create() {
    ObjectMapper mapper = new ObjectMapper();
    new UnreadableFieldsKept().customize(mapper);
    new CachedObjectsPruned().customize(mapper);
    return new KubernetesSerialization(mapper, true);
  }
}
