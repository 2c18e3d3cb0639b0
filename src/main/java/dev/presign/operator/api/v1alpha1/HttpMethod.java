package dev.presign.operator.api.v1alpha1;

/** What the presigned URL lets its holder do with the object. */
public enum HttpMethod {
  /** Download the object. */
  GET,
  /** Upload (create or replace) the object. */
  PUT,
  /** Upload through an HTML form whose signed policy limits size, type and key (see upload). */
  POST
}
