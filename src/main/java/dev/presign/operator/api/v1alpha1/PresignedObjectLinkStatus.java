package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator last did for a link. Never holds the URL itself. */
// Read leniently like the spec: a status the operator cannot read is one it writes anew.
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = LenientDeserializer.class)
public class PresignedObjectLinkStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready is True while the Secret holds a URL, signed for the current spec, that is valid"
          + " now. Reconciling is True while a failure is retried; Stalled is True when only a"
          + " change by a person can help (kstatus, used by Flux and kpt, reads these two). All"
          + " carry the same reason: Issued, Rotated, InvalidSpec, NotPermitted, SecretConflict,"
          + " CredentialsUnavailable, SigningFailed, SecretWriteFailed or ReconcileFailed.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Name of the Secret that holds the URL.")
  private String secretName;

  @JsonPropertyDescription("When the current URL was signed (RFC 3339).")
  private String issuedAt;

  @JsonPropertyDescription(
      "When the current URL stops working (RFC 3339): the requested lifetime, cut short by the"
          + " expiry of temporary signing credentials.")
  private String expiresAt;

  @JsonPropertyDescription("When the operator replaces the URL with a new one (RFC 3339).")
  private String renewalTime;

  @JsonPropertyDescription(
      "Expiry of the temporary credentials that signed the current URL (RFC 3339); absent for"
          + " long-lived keys.")
  private String credentialsExpireAt;

  @JsonPropertyDescription("How many URLs the operator has issued for this link.")
  private Long rotations;

  @JsonPropertyDescription(
      "sha256 fingerprint of the current URL, to tell URLs apart without revealing them.")
  private String urlDigest;

  @JsonPropertyDescription(
      "The last restart of each restartTargets workload, for the rotation of the links that name"
          + " it (they rotate together, and the workload restarts once per rotation).")
  private List<TargetRestart> restarts;

  @JsonPropertyDescription(
      "The value of the annotation presign.dev/rotate-requested-at that the operator last acted"
          + " on: a new value issues one new URL at once.")
  private String lastHandledRotationRequest;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getIssuedAt() {
    return issuedAt;
  }

  public void setIssuedAt(String issuedAt) {
    this.issuedAt = issuedAt;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getRenewalTime() {
    return renewalTime;
  }

  public void setRenewalTime(String renewalTime) {
    this.renewalTime = renewalTime;
  }

  public String getCredentialsExpireAt() {
    return credentialsExpireAt;
  }

  public void setCredentialsExpireAt(String credentialsExpireAt) {
    this.credentialsExpireAt = credentialsExpireAt;
  }

  public Long getRotations() {
    return rotations;
  }

  public void setRotations(Long rotations) {
    this.rotations = rotations;
  }

  public String getUrlDigest() {
    return urlDigest;
  }

  public void setUrlDigest(String urlDigest) {
    this.urlDigest = urlDigest;
  }

  public List<TargetRestart> getRestarts() {
    return restarts;
  }

  public void setRestarts(List<TargetRestart> restarts) {
    this.restarts = restarts;
  }

  public String getLastHandledRotationRequest() {
    return lastHandledRotationRequest;
  }

  public void setLastHandledRotationRequest(String lastHandledRotationRequest) {
    this.lastHandledRotationRequest = lastHandledRotationRequest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PresignedObjectLinkStatus other
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(secretName, other.secretName)
        && Objects.equals(issuedAt, other.issuedAt)
        && Objects.equals(expiresAt, other.expiresAt)
        && Objects.equals(renewalTime, other.renewalTime)
        && Objects.equals(credentialsExpireAt, other.credentialsExpireAt)
        && Objects.equals(rotations, other.rotations)
        && Objects.equals(urlDigest, other.urlDigest)
        && Objects.equals(restarts, other.restarts)
        && Objects.equals(lastHandledRotationRequest, other.lastHandledRotationRequest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        conditions,
        secretName,
        issuedAt,
        expiresAt,
        renewalTime,
        credentialsExpireAt,
        rotations,
        urlDigest,
        restarts,
        lastHandledRotationRequest);
  }
}
