package dev.llmgateway.redis;

import dev.llmgateway.budget.BudgetStore;
import dev.llmgateway.budget.InMemoryBudgetStore;

/** The contract on the in-memory store: the reference the Redis store must match. */
class InMemoryBudgetStoreContractTest extends BudgetStoreContract {
  private final InMemoryBudgetStore store = InMemoryBudgetStore.create();

  @Override
  BudgetStore store() {
    return store;
  }
}
