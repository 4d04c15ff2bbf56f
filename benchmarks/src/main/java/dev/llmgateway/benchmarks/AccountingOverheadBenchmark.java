package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.budget.Budget;
import dev.llmgateway.budget.BudgetInterceptor;
import dev.llmgateway.budget.InMemoryBudgetStore;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.cost.CostInterceptor;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.gateway.LlmGatewayBuilder;
import dev.llmgateway.ledger.AccountingInterceptor;
import dev.llmgateway.ledger.InMemoryUsageLedger;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.ratelimit.InMemoryRateLimitStore;
import dev.llmgateway.ratelimit.RateLimit;
import dev.llmgateway.ratelimit.RateLimitInterceptor;
import dev.llmgateway.ratelimit.RateLimitKey;
import dev.llmgateway.tokens.TokenCounter;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the accounting interceptors cost per call: a blocking chat call over loopback through a gateway
 * with the whole accounting stack ({@link AccountingInterceptor} into an {@link InMemoryUsageLedger},
 * {@link CostInterceptor}, {@link RateLimitInterceptor} with a high limit, {@link BudgetInterceptor} with a
 * large hard budget, all in memory, sharing one {@link CallPricer}), against the raw OkHttp call (the
 * baseline) and against the same gateway with no interceptors (for context). Every call carries the 1 KB
 * {@link SamplePrompt} to {@code openai/gpt-4o-mini}, a priced model counted with JTokkit, and a tenant,
 * so that every interceptor does its full work: count, estimate, reserve, take, call, price, settle,
 * correct, record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccountingOverheadBenchmark {
  static final String MODEL = "gpt-4o-mini";
  static final int MAX_TOKENS = 256;
  /** A budget no run reaches: a billion dollars a month, within the store's 2^53 micro-dollars. */
  static final String BUDGET_USD = "1000000000";
  /** Limits no run reaches, within what a one-minute window allows. */
  static final long REQUESTS_PER_MINUTE = 1_000_000_000L;
  static final long TOKENS_PER_MINUTE = 100_000_000_000L;

  private LoopbackFixture fixture;
  private LlmGateway plainGateway;
  private LlmGateway accountingGateway;
  private InMemoryUsageLedger ledger;
  private ChatRequest request;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = new LoopbackFixture();
    ModelCatalog catalog = ModelCatalog.bundled();
    if (catalog.find("openai", MODEL).isEmpty()) {
      throw new IllegalStateException("the bundled catalog has no price for openai/" + MODEL);
    }
    if (!TokenCounter.jtokkitAvailable()) {
      throw new IllegalStateException("JTokkit is not on the class path");
    }
    // One pricer, so JTokkit's vocabularies are loaded once and shared by every interceptor.
    CallPricer pricer = CallPricer.builder().modelCatalog(catalog).build();
    ledger = InMemoryUsageLedger.create();
    AccountingInterceptor accounting = AccountingInterceptor.builder(ledger).pricer(pricer).build();
    RateLimitInterceptor limits = RateLimitInterceptor.builder()
        .pricer(pricer)
        .store(InMemoryRateLimitStore.create())
        .limit(RateLimit.builder("tenant").key(RateLimitKey.tenant())
            .requestsPerMinute(REQUESTS_PER_MINUTE).tokensPerMinute(TOKENS_PER_MINUTE).build())
        .build();
    BudgetInterceptor budgets = BudgetInterceptor.builder()
        .pricer(pricer)
        .store(InMemoryBudgetStore.create())
        .budget(Budget.builder("tenant-monthly").perTenant().monthly().money(BUDGET_USD, "USD").build())
        .build();
    plainGateway = gateway(catalog).build();
    accountingGateway = gateway(catalog)
        .addInterceptor(accounting)
        .addInterceptor(CostInterceptor.of(pricer))
        .addInterceptor(limits)
        .addInterceptor(budgets)
        .build();
    request = ChatRequest.builder().model("openai/" + MODEL).system(SamplePrompt.SYSTEM)
        .user(SamplePrompt.ONE_KB).maxTokens(MAX_TOKENS)
        .metadata(new RequestMetadata("acme", "user-1", "bench", Map.of("feature", "review")))
        .build();
    // Fail now, not in the measurement, if the stack does not do its work.
    accountingGateway.chat(request);
    if (ledger.size() != 1 || ledger.records().get(0).cost() == null) {
      throw new IllegalStateException("the accounting stack did not record a priced call: "
          + ledger.records());
    }
  }

  private LlmGatewayBuilder gateway(ModelCatalog catalog) {
    return LlmGateway.builder()
        .discoverProviders(false)
        .modelCatalog(catalog)
        .sharedResource(OkHttpClient.class, fixture.httpClient)
        .provider(OpenAiChatProvider.builder().baseUrl(fixture.server.baseUrl())
            .httpClient(fixture.httpClient).objectMapper(fixture.objectMapper).build());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    accountingGateway.close();
    plainGateway.close();
    fixture.close();
  }

  /** The baseline: a raw OkHttp chat call with the same prompt, parsed with Jackson. */
  @Benchmark
  public String baselineRawOkHttp() throws IOException {
    return fixture.rawChat(MODEL, SamplePrompt.SYSTEM, SamplePrompt.ONE_KB, MAX_TOKENS);
  }

  /** For context: the same call through the gateway with no interceptors. */
  @Benchmark
  public String gatewayNoInterceptors() {
    return plainGateway.chat(request).text();
  }

  /** The same call through the gateway with the accounting stack. */
  @Benchmark
  public String gatewayWithAccounting() {
    return accountingGateway.chat(request).text();
  }
}
