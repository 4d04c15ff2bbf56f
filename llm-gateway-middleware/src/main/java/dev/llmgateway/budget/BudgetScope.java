package dev.llmgateway.budget;

/** Whose spending a {@link Budget} limits, read from the request's {@link dev.llmgateway.RequestMetadata}. */
public enum BudgetScope {
  /** Every call together. */
  GLOBAL,
  /** Per tenant ({@code metadata.tenant}); calls without a tenant are not counted. */
  TENANT,
  /** Per end user ({@code metadata.user}); calls without a user are not counted. */
  USER,
  /** Per application ({@code metadata.application}); calls without one are not counted. */
  APPLICATION,
  /** Per value of one tag ({@code metadata.tags}); calls without the tag are not counted. */
  TAG
}
