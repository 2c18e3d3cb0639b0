package dev.presign.operator.demo;

/** A step of the demo that did not work, said in words a person can act on. */
final class DemoFailure extends RuntimeException {

  DemoFailure(String message) {
    super(message);
  }

  DemoFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
