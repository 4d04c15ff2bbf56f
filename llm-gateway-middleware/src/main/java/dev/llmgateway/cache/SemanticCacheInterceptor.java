package dev.llmgateway.cache;

import dev.llmgateway.CacheInfo;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.cache.internal.Answers;
import dev.llmgateway.cache.internal.CanonicalRequest;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.embedding.EmbeddingClient;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semantic cache: answers a request whose last user message means the same as one answered before
 * ("How do I reset my password?" after "how can I change my password"), judged by the cosine similarity
 * of their embeddings. Put it after the exact cache (which answers verbatim repeats without an embedding
 * call) and before the router.
 *
 * <pre>{@code
 * SemanticCacheInterceptor semantic = SemanticCacheInterceptor
 *     .builder(gateway, "openai/text-embedding-3-small")   // LlmGateway is an EmbeddingClient
 *     .similarityThreshold(0.90).build();
 * }</pre>
 *
 * <p><b>Matching.</b> The last user message's text is embedded through the {@link EmbeddingClient}, and the
 * {@link SemanticIndex} is searched for the most similar question <em>in the same scope</em>: the same
 * tenant (unless shared), the same model group, and the same everything else: system prompt, earlier
 * turns, tools, sampling parameters, response format and provider options (the exact cache's canonical
 * request with the question left out). A match at or above the similarity threshold is a hit.
 *
 * <p><b>Precision.</b> Sentence embeddings place "What is the capital of France?" and "... of Germany?"
 * close together: a semantic cache trades some wrong answers for hits. The threshold sets the trade; the
 * default, {@link #DEFAULT_SIMILARITY_THRESHOLD}, was measured with all-MiniLM-L6-v2 on the labelled pairs
 * in this module's tests (see {@code docs/caching.md}); other embedding models need their own measurement.
 *
 * <p>Everything else is as in {@link CacheInterceptor}: the same {@link CachePolicy} default, per-call
 * {@link CacheInterceptor#MODE} and {@link CacheInterceptor#TTL}, only complete successful answers
 * stored, under the group that answered; a hit has zero usage, sets {@link CacheInterceptor#CACHE_STATUS}
 * (source {@link CacheInfo.Source#SEMANTIC}, with the similarity) and reports
 * {@link dev.llmgateway.ChatEventListener#onCacheHit}; a streaming hit is replayed, a streaming miss teed.
 * There is no coalescing here (identical concurrent calls are the exact cache's job). A failing embedding
 * call or index never fails the call: the cache is bypassed and the failure logged.
 *
 * <p>Thread-safe.
 */
public final class SemanticCacheInterceptor implements Interceptor {
  /**
   * The cosine similarity at or above which two questions are the same by default: 0.91. Measured with
   * all-MiniLM-L6-v2 on 80 labelled pairs: 80% of paraphrases hit, none of 40 near misses and unrelated
   * questions did (the closest near miss scored 0.899); see {@code docs/caching.md}.
   */
  public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.91;
  /** How long entries live by default: one hour. */
  public static final Duration DEFAULT_TTL = CacheInterceptor.DEFAULT_TTL;
  /** Which requests are cached by default: {@link CachePolicy#DETERMINISTIC}. */
  public static final CachePolicy DEFAULT_POLICY = CachePolicy.DETERMINISTIC;
  /** Whether tenants share entries by default: no. */
  public static final boolean DEFAULT_SHARE_ACROSS_TENANTS = false;
  /** The clock of entry ages by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /** Where saved money is priced by default: {@link ModelCatalog#bundled()}. */
  public static final ModelCatalog DEFAULT_MODEL_CATALOG = CacheInterceptor.DEFAULT_MODEL_CATALOG;

  private static final Logger LOG = LoggerFactory.getLogger(SemanticCacheInterceptor.class);

  private final EmbeddingClient embeddings;
  private final String embeddingModel;
  private final double threshold;
  private final SemanticIndex index;
  private final Duration ttl;
  private final CachePolicy policy;
  private final boolean shareAcrossTenants;
  private final Clock clock;
  private final ModelCatalog modelCatalog;
  private final @Nullable RouterInterceptor router;

  private SemanticCacheInterceptor(Builder b) {
    this.embeddings = b.embeddings;
    this.embeddingModel = b.embeddingModel;
    this.threshold = b.threshold;
    this.index = b.index != null ? b.index : InMemorySemanticIndex.create();
    this.ttl = b.ttl;
    this.policy = b.policy;
    this.shareAcrossTenants = b.shareAcrossTenants;
    this.clock = b.clock;
    this.modelCatalog = b.modelCatalog;
    this.router = b.router;
  }

  /**
   * A builder embedding with {@code embeddingModel} (an alias or {@code provider/model}) through
   * {@code embeddings}, usually the gateway itself.
   */
  public static Builder builder(EmbeddingClient embeddings, String embeddingModel) {
    return new Builder(embeddings, embeddingModel);
  }

  public String embeddingModel() {
    return embeddingModel;
  }

  public double similarityThreshold() {
    return threshold;
  }

  public SemanticIndex index() {
    return index;
  }

  public Duration ttl() {
    return ttl;
  }

  public CachePolicy policy() {
    return policy;
  }

  public boolean shareAcrossTenants() {
    return shareAcrossTenants;
  }

  public Clock clock() {
    return clock;
  }

  public ModelCatalog modelCatalog() {
    return modelCatalog;
  }

  public @Nullable RouterInterceptor router() {
    return router;
  }

  /** A lookup prepared for one call; null when the cache does not apply to it. */
  private record Lookup(String group, float[] vector, CacheMode mode) {}

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    CallContext context = chain.context();
    Lookup lookup = prepare(request, context);
    if (lookup == null) {
      return chain.proceed(request);
    }
    if (lookup.mode() == CacheMode.USE) {
      SemanticIndex.Match match = nearest(request, lookup);
      if (match != null) {
        return hit(context, match);
      }
    }
    context.put(CacheInterceptor.CACHE_STATUS,
        lookup.mode() == CacheMode.REFRESH ? CacheStatus.REFRESHED : CacheStatus.MISS);
    ChatResponse response = chain.proceed(request);
    store(request, context, lookup, answeringGroup(context, lookup.group()), response);
    return response;
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    CallContext context = chain.context();
    Lookup lookup = prepare(request, context);
    if (lookup == null) {
      return chain.proceed(request);
    }
    if (lookup.mode() == CacheMode.USE) {
      SemanticIndex.Match match = nearest(request, lookup);
      if (match != null) {
        return ChatStream.of(Answers.replay(hit(context, match)));
      }
    }
    context.put(CacheInterceptor.CACHE_STATUS,
        lookup.mode() == CacheMode.REFRESH ? CacheStatus.REFRESHED : CacheStatus.MISS);
    ChatStream upstream = chain.proceed(request);
    String answeringGroup = answeringGroup(context, lookup.group());
    return upstream.observeEnd(new ChatStream.StreamObserver() {
      @Override
      public void onComplete(ChatResponse response) {
        store(request, context, lookup, answeringGroup, response);
      }
    });
  }

  private @Nullable Lookup prepare(ChatRequest request, CallContext context) {
    CacheMode mode = context.options().get(CacheInterceptor.MODE);
    mode = mode != null ? mode : CacheMode.USE;
    String question = lastUserText(request);
    if (mode == CacheMode.SKIP || !policy.isCacheable(request) || question == null) {
      context.put(CacheInterceptor.CACHE_STATUS, CacheStatus.BYPASSED);
      return null;
    }
    float[] vector;
    try {
      vector = embeddings.embed(new EmbeddingRequest(embeddingModel, List.of(question), null,
          request.metadata())).first();
    } catch (RuntimeException e) {
      LOG.warn("semantic cache could not embed the question with {}; bypassing the cache: {}",
          embeddingModel, e.toString());
      context.put(CacheInterceptor.CACHE_STATUS, CacheStatus.BYPASSED);
      return null;
    }
    return new Lookup(groupOf(request), vector, mode);
  }

  private SemanticIndex.@Nullable Match nearest(ChatRequest request, Lookup lookup) {
    try {
      return index.nearest(scope(request, lookup.group()), lookup.vector(), threshold);
    } catch (RuntimeException e) {
      LOG.warn("semantic index {} failed to search; treating it as a miss: {}", index, e.toString());
      return null;
    }
  }

  private ChatResponse hit(CallContext context, SemanticIndex.Match match) {
    ChatResponse stored = match.entry().response();
    Answers.Money saved = Answers.price(modelCatalog, stored.provider(), stored.model(), stored.usage());
    context.put(CacheInterceptor.CACHE_STATUS, CacheStatus.hit(new CacheInfo(CacheInfo.Source.SEMANTIC,
        match.entry().ageAt(clock.instant()), stored.usage(),
        saved == null ? null : saved.amount(), saved == null ? null : saved.currency(),
        Math.max(-1.0, Math.min(1.0, match.similarity())))));
    context.put(CallPricer.NOT_BILLED, Boolean.TRUE);
    context.events().onCacheHit(context);
    return Answers.asHit(stored);
  }

  private void store(ChatRequest request, CallContext context, Lookup lookup, String answeringGroup,
      ChatResponse response) {
    if (!Answers.cacheable(response)) {
      return;
    }
    Duration entryTtl = CacheInterceptor.entryTtl(context, ttl);
    try {
      index.add(scope(request, answeringGroup), lookup.vector(),
          new CacheEntry(response, answeringGroup, clock.instant()), entryTtl);
    } catch (RuntimeException e) {
      LOG.warn("semantic index {} failed to store an entry: {}", index, e.toString());
    }
  }

  /** The partition of the index {@code request} is compared in, when answered by {@code group}. */
  String scope(ChatRequest request, String group) {
    String tenant = request.metadata().tenant();
    String tenantScope = shareAcrossTenants ? CacheInterceptor.SHARED_TENANT
        : tenant == null ? "-" : "t:" + tenant;
    return "semantic:" + embeddingModel + ":" + CanonicalRequest.hash(request, group, tenantScope, true);
  }

  private String groupOf(ChatRequest request) {
    if (router != null) {
      ModelGroup group = router.groupFor(request);
      if (group != null) {
        return group.name();
      }
    }
    return request.model();
  }

  private static String answeringGroup(CallContext context, String asked) {
    String answered = context.get(RouterInterceptor.GROUP);
    return answered != null ? answered : asked;
  }

  private static @Nullable String lastUserText(ChatRequest request) {
    List<Message> messages = request.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      Message m = messages.get(i);
      if (m.role() == Role.USER) {
        boolean textOnly = m.content().stream().allMatch(p -> p instanceof ContentPart.Text);
        String text = m.text();
        // A question with an image is not the same question as its caption alone.
        return textOnly && !text.isBlank() ? text : null;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "SemanticCacheInterceptor[" + embeddingModel + ", threshold=" + threshold + ", " + index + "]";
  }

  /** Builds a {@link SemanticCacheInterceptor}. Not thread-safe. */
  public static final class Builder {
    private final EmbeddingClient embeddings;
    private final String embeddingModel;
    private double threshold = DEFAULT_SIMILARITY_THRESHOLD;
    private @Nullable SemanticIndex index;
    private Duration ttl = DEFAULT_TTL;
    private CachePolicy policy = DEFAULT_POLICY;
    private boolean shareAcrossTenants = DEFAULT_SHARE_ACROSS_TENANTS;
    private Clock clock = DEFAULT_CLOCK;
    private ModelCatalog modelCatalog = DEFAULT_MODEL_CATALOG;
    private @Nullable RouterInterceptor router;

    private Builder(EmbeddingClient embeddings, String embeddingModel) {
      this.embeddings = Check.nonNull(embeddings, "embeddings");
      this.embeddingModel = Check.nonBlank(embeddingModel, "embeddingModel");
    }

    /**
     * The cosine similarity at or above which a stored question answers a new one, in (0, 1]. Defaults
     * to {@link #DEFAULT_SIMILARITY_THRESHOLD}.
     */
    public Builder similarityThreshold(double threshold) {
      Check.that(threshold > 0 && threshold <= 1, "similarityThreshold must be in (0, 1], was " + threshold);
      this.threshold = threshold;
      return this;
    }

    /**
     * Where vectors and answers live. Defaults to a new {@link InMemorySemanticIndex} with its defaults
     * ({@link InMemorySemanticIndex#DEFAULT_MAXIMUM_SIZE} entries), one per interceptor.
     */
    public Builder index(SemanticIndex index) {
      this.index = Check.nonNull(index, "index");
      return this;
    }

    /** How long an entry lives unless the call sets a TTL. Defaults to {@link #DEFAULT_TTL}. */
    public Builder ttl(Duration ttl) {
      Check.positive(ttl, "ttl");
      this.ttl = ttl;
      return this;
    }

    /** Which requests are cached. Defaults to {@link #DEFAULT_POLICY}. */
    public Builder policy(CachePolicy policy) {
      this.policy = Check.nonNull(policy, "policy");
      return this;
    }

    /** Whether tenants share entries. Defaults to {@value #DEFAULT_SHARE_ACROSS_TENANTS}. */
    public Builder shareAcrossTenants(boolean share) {
      this.shareAcrossTenants = share;
      return this;
    }

    /** The clock of entry ages. Defaults to {@link #DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /** Where saved money is priced. Defaults to {@link #DEFAULT_MODEL_CATALOG}. */
    public Builder modelCatalog(ModelCatalog catalog) {
      this.modelCatalog = Check.nonNull(catalog, "modelCatalog");
      return this;
    }

    /** The router whose group choice scopes the entries. Defaults to none: the request's model. */
    public Builder router(RouterInterceptor router) {
      this.router = Check.nonNull(router, "router");
      return this;
    }

    public SemanticCacheInterceptor build() {
      return new SemanticCacheInterceptor(this);
    }
  }
}
