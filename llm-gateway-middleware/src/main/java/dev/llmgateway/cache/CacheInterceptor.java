package dev.llmgateway.cache;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CacheInfo;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.cache.internal.Answers;
import dev.llmgateway.cache.internal.CanonicalRequest;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.cache.internal.InFlight;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exact response cache: a request that was answered before is answered again from a
 * {@link CacheStore} without calling the provider. Its place is after the limits and before the router.
 *
 * <pre>{@code
 * RouterInterceptor router = ...;
 * CacheInterceptor cache = CacheInterceptor.builder().router(router).ttl(Duration.ofMinutes(30)).build();
 * LlmGateway gateway = LlmGateway.builder().addInterceptor(cache).addInterceptor(router)...build();
 * }</pre>
 *
 * <p><b>Key.</b> The SHA-256 of the canonical request ({@code CanonicalRequest}): the model group, every
 * message part, the tools and tool choice, every sampling parameter, max tokens, stop, seed, the response
 * format and every provider option (sorted by name; nested maps by key), with JSON texts (tool schemas,
 * tool arguments, response schemas) compared in canonical form: key order and whitespace do not matter.
 * Metadata does not change answers and stays out, except the tenant, which is always in the key unless
 * {@link Builder#shareAcrossTenants(boolean)} is on: tenants never see each other's answers. The group is
 * the router's choice for the request ({@link RouterInterceptor#groupFor}) when a router is given, else the
 * request's model.
 *
 * <p><b>Fallbacks.</b> An answer is stored under the group that answered it, read from
 * {@link RouterInterceptor#GROUP} after the call: when the primary group failed and a fallback answered,
 * the entry goes under the fallback's key, never the primary's, so a fallback never poisons the
 * primary's entry (the next request for the primary misses and tries it again).
 *
 * <p><b>What is cached.</b> Only requests the {@link CachePolicy} allows (default
 * {@link CachePolicy#DETERMINISTIC}: temperature 0 or a seed), and only complete, successful answers:
 * finish reason {@code STOP}, or {@code TOOL_CALLS} with tool calls, and no refusal. Errors (guard
 * refusals and content filters included), truncated answers and streams that failed or were closed before
 * their end are never stored. Per call, {@link #MODE} skips or refreshes the cache and {@link #TTL} sets
 * the entry's lifetime.
 *
 * <p><b>Hits.</b> A hit returns the stored answer with {@link dev.llmgateway.Usage#ZERO} usage (no tokens
 * were consumed, so outer cost, budget and ledger interceptors charge nothing), sets {@link #CACHE_STATUS}
 * (age, the usage saved and, when the catalog prices the answering model, the money saved) and reports
 * {@link dev.llmgateway.ChatEventListener#onCacheHit}.
 *
 * <p><b>Streams.</b> A hit on a streaming call replays the entry as a finished stream: a start chunk, one
 * delta per content part (thinking, text, each tool call whole), the usage and the finish, which assemble
 * to the same response; chunk boundaries of the original stream are not kept. A miss tees the stream: the
 * chunks pass to the caller as they arrive and the assembled answer is stored when the stream completes.
 * Entries hold the assembled response only, so a blocking hit on a streamed entry, and a streaming hit on a
 * blocking one, both work.
 *
 * <p><b>Coalescing.</b> While a blocking miss is fetching a key, identical calls (blocking or streaming)
 * wait for it and receive its answer (status {@link CacheInfo.Source#COALESCED}): ten simultaneous
 * identical misses make one upstream call. If the leader fails, the waiting calls try again on their own,
 * one of them leading. A streaming miss never leads: its pace is its consumer's, who may stall or abandon
 * it, so it calls upstream itself.
 *
 * <p><b>Store failures</b> (a Redis outage) never fail a call: a failed read is a miss, a failed write
 * is logged and dropped.
 *
 * <p>Thread-safe; one instance serves every call of a gateway.
 */
public final class CacheInterceptor implements Interceptor {
  /** What the cache did for the call: set on every call that reaches it. */
  public static final AttributeKey<CacheStatus> CACHE_STATUS =
      AttributeKey.of("cache.status", CacheStatus.class);
  /** Per-call cache mode, in {@link dev.llmgateway.CallOptions}; {@link CacheMode#USE} when absent. */
  public static final AttributeKey<CacheMode> MODE = AttributeKey.of("cache.mode", CacheMode.class);
  /** Per-call lifetime of a stored entry, in {@link dev.llmgateway.CallOptions}; the builder's when absent. */
  public static final AttributeKey<Duration> TTL = AttributeKey.of("cache.ttl", Duration.class);

  /** How long entries live by default: one hour. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  /** Which requests are cached by default: {@link CachePolicy#DETERMINISTIC}. */
  public static final CachePolicy DEFAULT_POLICY = CachePolicy.DETERMINISTIC;
  /** Whether tenants share entries by default: no, the tenant is part of every key. */
  public static final boolean DEFAULT_SHARE_ACROSS_TENANTS = false;
  /** Whether identical concurrent misses are coalesced by default: yes. */
  public static final boolean DEFAULT_COALESCING = true;
  /** The prefix of every store key by default; the version changes when the key format does. */
  public static final String DEFAULT_KEY_PREFIX = "llmgw:cache:v" + CanonicalRequest.FORMAT_VERSION + ":";
  /** The clock of entry ages by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /** Where saved money is priced by default: {@link ModelCatalog#bundled()}. */
  public static final ModelCatalog DEFAULT_MODEL_CATALOG = ModelCatalog.bundled();

  static final String SHARED_TENANT = "*shared*";
  private static final Logger LOG = LoggerFactory.getLogger(CacheInterceptor.class);

  private final CacheStore store;
  private final Duration ttl;
  private final CachePolicy policy;
  private final boolean shareAcrossTenants;
  private final boolean coalescing;
  private final String keyPrefix;
  private final Clock clock;
  private final ModelCatalog modelCatalog;
  private final @Nullable RouterInterceptor router;
  private final InFlight inFlight = new InFlight();

  private CacheInterceptor(Builder b) {
    this.store = b.store != null ? b.store : InMemoryCacheStore.create();
    this.ttl = b.ttl;
    this.policy = b.policy;
    this.shareAcrossTenants = b.shareAcrossTenants;
    this.coalescing = b.coalescing;
    this.keyPrefix = b.keyPrefix;
    this.clock = b.clock;
    this.modelCatalog = b.modelCatalog;
    this.router = b.router;
  }

  /** A cache with the defaults over a new {@link InMemoryCacheStore}. */
  public static CacheInterceptor create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public CacheStore store() {
    return store;
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

  public boolean coalescing() {
    return coalescing;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public Clock clock() {
    return clock;
  }

  public ModelCatalog modelCatalog() {
    return modelCatalog;
  }

  /** The router whose group choice keys the entries; null when the request's model is the group. */
  public @Nullable RouterInterceptor router() {
    return router;
  }

  /** How many calls are waiting right now for an identical call in flight. */
  public int coalescedWaiting() {
    return inFlight.waiting();
  }

  /** The store key {@code request} is looked up under, e.g. to {@link CacheStore#remove} its entry. */
  public String keyFor(ChatRequest request) {
    return keyFor(request, groupOf(request));
  }

  /** The store key of {@code request} answered by {@code group}. */
  public String keyFor(ChatRequest request, String group) {
    return keyPrefix + CanonicalRequest.hash(request, group, tenantScope(request), false);
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    CallContext context = chain.context();
    CacheMode mode = modeOf(context);
    if (mode == CacheMode.SKIP || !policy.isCacheable(request)) {
      context.put(CACHE_STATUS, CacheStatus.BYPASSED);
      return chain.proceed(request);
    }
    String group = groupOf(request);
    String key = keyFor(request, group);
    if (mode == CacheMode.REFRESH) {
      return fetch(request, chain, group, key, CacheStatus.REFRESHED);
    }
    while (true) {
      CacheEntry entry = read(key);
      if (entry != null) {
        return hit(context, entry.response(), entry.ageAt(clock.instant()), CacheInfo.Source.EXACT);
      }
      if (!coalescing) {
        return fetch(request, chain, group, key, CacheStatus.MISS);
      }
      InFlight.Lead lead = inFlight.tryLead(key);
      if (lead == null) {
        CompletableFuture<@Nullable ChatResponse> leader = inFlight.leader(key);
        if (leader == null) {
          continue; // the leader finished between our two looks: its entry may be in the store now
        }
        ChatResponse shared = inFlight.await(leader, context);
        if (shared != null) {
          return hit(context, shared, Duration.ZERO, CacheInfo.Source.COALESCED);
        }
        continue; // the leader failed: look again, and perhaps lead
      }
      ChatResponse answer = null;
      try {
        // A leader that just finished may have stored the entry after our read and before tryLead.
        CacheEntry late = read(key);
        if (late != null) {
          answer = late.response();
          return hit(context, late.response(), late.ageAt(clock.instant()), CacheInfo.Source.EXACT);
        }
        answer = fetch(request, chain, group, key, CacheStatus.MISS);
        return answer;
      } finally {
        inFlight.release(lead, answer);
      }
    }
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    CallContext context = chain.context();
    CacheMode mode = modeOf(context);
    if (mode == CacheMode.SKIP || !policy.isCacheable(request)) {
      context.put(CACHE_STATUS, CacheStatus.BYPASSED);
      return chain.proceed(request);
    }
    String group = groupOf(request);
    String key = keyFor(request, group);
    if (mode == CacheMode.USE) {
      CacheEntry entry = read(key);
      if (entry != null) {
        return ChatStream.of(Answers.replay(
            hit(context, entry.response(), entry.ageAt(clock.instant()), CacheInfo.Source.EXACT)));
      }
      CompletableFuture<@Nullable ChatResponse> leader = coalescing ? inFlight.leader(key) : null;
      if (leader != null) {
        ChatResponse shared = inFlight.await(leader, context);
        if (shared != null) {
          return ChatStream.of(Answers.replay(
              hit(context, shared, Duration.ZERO, CacheInfo.Source.COALESCED)));
        }
      }
    }
    context.put(CACHE_STATUS, mode == CacheMode.REFRESH ? CacheStatus.REFRESHED : CacheStatus.MISS);
    ChatStream upstream = chain.proceed(request);
    // The router has chosen (and fallen back, if it had to) before its stream is returned.
    String answeringGroup = answeringGroup(context, group);
    String storeKey = answeringGroup.equals(group) ? key : keyFor(request, answeringGroup);
    Duration entryTtl = ttlOf(context);
    return upstream.observeEnd(new ChatStream.StreamObserver() {
      @Override
      public void onComplete(ChatResponse response) {
        if (!answeredByInnerCache(context)) {
          store(storeKey, response, answeringGroup, entryTtl);
        }
      }
    });
  }

  private ChatResponse fetch(ChatRequest request, Chain chain, String group, String key,
      CacheStatus status) {
    CallContext context = chain.context();
    context.put(CACHE_STATUS, status);
    ChatResponse response = chain.proceed(request);
    if (answeredByInnerCache(context)) {
      return response;
    }
    String answeringGroup = answeringGroup(context, group);
    store(answeringGroup.equals(group) ? key : keyFor(request, answeringGroup), response, answeringGroup,
        ttlOf(context));
    return response;
  }

  /**
   * Whether a cache inside this one (the semantic cache) answered: its answer is already stored there,
   * with its own age and TTL, and has zero usage, so storing it here too would restart its age and make
   * later exact hits report nothing saved.
   */
  private static boolean answeredByInnerCache(CallContext context) {
    CacheStatus after = context.get(CACHE_STATUS);
    return after != null && after.isHit();
  }

  private ChatResponse hit(CallContext context, ChatResponse stored, Duration age,
      CacheInfo.Source source) {
    Answers.Money saved = Answers.price(modelCatalog, stored.provider(), stored.model(), stored.usage());
    context.put(CACHE_STATUS, CacheStatus.hit(new CacheInfo(source, age, stored.usage(),
        saved == null ? null : saved.amount(), saved == null ? null : saved.currency(), null)));
    context.put(CallPricer.NOT_BILLED, Boolean.TRUE);
    context.events().onCacheHit(context);
    return Answers.asHit(stored);
  }

  private void store(String key, ChatResponse response, String group, Duration entryTtl) {
    if (!Answers.cacheable(response)) {
      return;
    }
    try {
      store.put(key, new CacheEntry(response, group, clock.instant()), entryTtl);
    } catch (RuntimeException e) {
      LOG.warn("cache store {} failed to store an entry; the answer is not cached: {}", store,
          e.toString());
    }
  }

  private @Nullable CacheEntry read(String key) {
    try {
      return store.get(key);
    } catch (RuntimeException e) {
      LOG.warn("cache store {} failed to read; treating it as a miss: {}", store, e.toString());
      return null;
    }
  }

  String groupOf(ChatRequest request) {
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

  private String tenantScope(ChatRequest request) {
    if (shareAcrossTenants) {
      return SHARED_TENANT;
    }
    String tenant = request.metadata().tenant();
    return tenant == null ? "-" : "t:" + tenant;
  }

  private static CacheMode modeOf(CallContext context) {
    CacheMode mode = context.options().get(MODE);
    return mode != null ? mode : CacheMode.USE;
  }

  private Duration ttlOf(CallContext context) {
    return entryTtl(context, ttl);
  }

  /** The entry lifetime a call asked for with {@link #TTL} when positive, else {@code configured}. */
  static Duration entryTtl(CallContext context, Duration configured) {
    Duration wanted = context.options().get(TTL);
    return wanted != null && !wanted.isNegative() && !wanted.isZero() ? wanted : configured;
  }

  @Override
  public String toString() {
    return "CacheInterceptor[" + store + ", ttl=" + ttl + "]";
  }

  /** Builds a {@link CacheInterceptor}. Not thread-safe. */
  public static final class Builder {
    private @Nullable CacheStore store;
    private Duration ttl = DEFAULT_TTL;
    private CachePolicy policy = DEFAULT_POLICY;
    private boolean shareAcrossTenants = DEFAULT_SHARE_ACROSS_TENANTS;
    private boolean coalescing = DEFAULT_COALESCING;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Clock clock = DEFAULT_CLOCK;
    private ModelCatalog modelCatalog = DEFAULT_MODEL_CATALOG;
    private @Nullable RouterInterceptor router;

    private Builder() {}

    /**
     * Where entries live. Defaults to a new {@link InMemoryCacheStore} with its defaults
     * ({@link InMemoryCacheStore#DEFAULT_MAXIMUM_SIZE} entries), one per interceptor.
     */
    public Builder store(CacheStore store) {
      this.store = Check.nonNull(store, "store");
      return this;
    }

    /** How long an entry lives unless the call sets {@link #TTL}; positive. Defaults to {@link #DEFAULT_TTL}. */
    public Builder ttl(Duration ttl) {
      Check.positive(ttl, "ttl");
      this.ttl = ttl;
      return this;
    }

    /** Which requests are cached. Defaults to {@link #DEFAULT_POLICY}: temperature 0 or a seed. */
    public Builder policy(CachePolicy policy) {
      this.policy = Check.nonNull(policy, "policy");
      return this;
    }

    /**
     * Whether tenants share entries (the tenant leaves the key). Only for answers that are truly the same
     * for everyone. Defaults to {@value #DEFAULT_SHARE_ACROSS_TENANTS}.
     */
    public Builder shareAcrossTenants(boolean share) {
      this.shareAcrossTenants = share;
      return this;
    }

    /** Whether identical concurrent misses share one upstream call. Defaults to {@value #DEFAULT_COALESCING}. */
    public Builder coalescing(boolean coalescing) {
      this.coalescing = coalescing;
      return this;
    }

    /**
     * The prefix of store keys, e.g. to keep two applications apart in one Redis. Defaults to
     * {@link #DEFAULT_KEY_PREFIX}.
     */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = Check.nonNull(prefix, "keyPrefix");
      return this;
    }

    /** The clock of entry ages. Defaults to {@link #DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /** Where the money a hit saved is priced; use the gateway's. Defaults to {@link #DEFAULT_MODEL_CATALOG}. */
    public Builder modelCatalog(ModelCatalog catalog) {
      this.modelCatalog = Check.nonNull(catalog, "modelCatalog");
      return this;
    }

    /**
     * The router behind this cache, whose {@link RouterInterceptor#groupFor} names the group a request is
     * looked up under (needed when group selectors or A/B splits choose groups). Defaults to none: the
     * request's model is the group. Answers are stored under the group that answered either way.
     */
    public Builder router(RouterInterceptor router) {
      this.router = Check.nonNull(router, "router");
      return this;
    }

    public CacheInterceptor build() {
      return new CacheInterceptor(this);
    }
  }
}
