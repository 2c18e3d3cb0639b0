package dev.presign.operator.policy;

/** The operator's policy does not let this link be signed with the operator's identity (R7). */
public class NotPermittedException extends RuntimeException {

  public NotPermittedException(String message) {
    super(message);
  }
}
