package dev.llmgateway.budget;

/** What a {@link Budget} counts. */
public enum BudgetUnit {
  /** The cost of calls at the model catalog's prices, in the budget's currency. */
  MONEY,
  /** Input and output tokens of calls. */
  TOKENS
}
