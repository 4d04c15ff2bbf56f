package dev.llmgateway.redaction;

/**
 * What {@link RedactionInterceptor} does with a value of one {@link PiiType}, set per type in a
 * {@link RedactionPolicy}.
 */
public enum RedactionMode {
  /** Leave the value as it is: the host allows this type to reach the provider. */
  ALLOW,
  /** Replace the value with its type in brackets, e.g. {@code [EMAIL]}. One-way. */
  MASK,
  /**
   * Replace the value with its type and a salted SHA-256 prefix, e.g. {@code [EMAIL:3f9a0c1d2b4e]}: the
   * same value gives the same text for as long as the policy (and so the gateway) lives, so the model
   * can tell values apart and caches still hit, but it cannot read them. One-way.
   */
  HASH,
  /**
   * Replace the value with a numbered placeholder, e.g. {@code <EMAIL_1>}, and put the value back
   * wherever the placeholder appears in the answer. Numbered per call in order of appearance; the same
   * value gets the same placeholder throughout the call.
   */
  PLACEHOLDER,
  /**
   * Refuse the call with a {@link dev.llmgateway.error.GuardRefusedException} naming the type (never the
   * value) before anything is sent.
   */
  REFUSE
}
