package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The last restart of one restart target for a rotation of the links that name it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetRestart {

  @JsonPropertyDescription("Kind of the workload: Deployment, StatefulSet or DaemonSet.")
  private String kind;

  @JsonPropertyDescription("Name of the workload.")
  private String name;

  @JsonPropertyDescription(
      "The presign.dev/restartedAt value of the last restart (RFC 3339): when the newest URL of"
          + " the links that name this workload was issued.")
  private String restartedAt;

  public TargetRestart() {}

  public TargetRestart(String kind, String name, String restartedAt) {
    this.kind = kind;
    this.name = name;
    this.restartedAt = restartedAt;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getRestartedAt() {
    return restartedAt;
  }

  public void setRestartedAt(String restartedAt) {
    this.restartedAt = restartedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TargetRestart other
        && Objects.equals(kind, other.kind)
        && Objects.equals(name, other.name)
        && Objects.equals(restartedAt, other.restartedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, restartedAt);
  }
}
