package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A workload, in the link's namespace, restarted after each rotation. */
public class RestartTarget {

  /** The workload kinds that can be restarted by patching their pod template. */
  public enum Kind {
    Deployment,
    StatefulSet,
    DaemonSet
  }

  @Required
  @JsonPropertyDescription("Kind of the workload: Deployment, StatefulSet or DaemonSet.")
  private Kind kind;

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the workload, in the link's namespace.")
  private String name;

  public Kind getKind() {
    return kind;
  }

  public void setKind(Kind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
