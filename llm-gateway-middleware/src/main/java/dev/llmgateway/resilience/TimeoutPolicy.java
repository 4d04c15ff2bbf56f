package dev.llmgateway.resilience;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How long a call may take, enforced by the {@link TimeoutInterceptor}: the whole call, the wait for the
 * first token of a stream, and the silence between two chunks of a stream. A null limit is unset: it is
 * taken from the less specific level (a request's policy over its group's, a group's over the
 * interceptor's default), and none applies when no level sets it.
 *
 * <p>The connect timeout is the HTTP client's: set it on the {@code OkHttpClient} the providers share,
 * e.g. {@code LlmGateway.builder().sharedResource(OkHttpClient.class, new OkHttpClient.Builder()
 * .connectTimeout(Duration.ofSeconds(3)).retryOnConnectionFailure(false).build())}. A connect or read
 * timeout of the client fails that attempt with a retryable {@link dev.llmgateway.error.LlmTimeoutException}.
 *
 * <p>Per request, put a policy into the call's options under {@link #CALL_OPTION}:
 *
 * <pre>{@code
 * CallOptions options = CallOptions.DEFAULT.with(TimeoutPolicy.CALL_OPTION,
 *     TimeoutPolicy.NONE.withFirstToken(Duration.ofSeconds(2)).withIdle(Duration.ofSeconds(5)));
 * ChatStream stream = gateway.stream(request, options);
 * }</pre>
 *
 * @param wholeCall the longest the call may take, retries and fallbacks inside the interceptor included;
 *     for a stream, until its last chunk. Like {@link dev.llmgateway.CallOptions#timeout()}, it ends the
 *     call with a {@link dev.llmgateway.error.LlmTimeoutException} that is not retryable
 * @param firstToken streams only: the longest wait for the first chunk that is part of the answer
 * @param idle streams only: the longest silence between two chunks of the answer
 */
public record TimeoutPolicy(@Nullable Duration wholeCall, @Nullable Duration firstToken,
    @Nullable Duration idle) {

  /** The three limits of a policy, to say which of them a {@link TimeoutInterceptor} enforces. */
  public enum Limit {
    /** {@link TimeoutPolicy#wholeCall()}. */
    WHOLE_CALL,
    /** {@link TimeoutPolicy#firstToken()}. */
    FIRST_TOKEN,
    /** {@link TimeoutPolicy#idle()}. */
    IDLE
  }

  /** Where a request's own policy goes in its {@link dev.llmgateway.CallOptions}. */
  public static final AttributeKey<TimeoutPolicy> CALL_OPTION =
      AttributeKey.of("timeoutPolicy", TimeoutPolicy.class);

  /** No limit set. */
  public static final TimeoutPolicy NONE = new TimeoutPolicy(null, null, null);

  public TimeoutPolicy {
    if (wholeCall != null) {
      Check.positive(wholeCall, "wholeCall");
    }
    if (firstToken != null) {
      Check.positive(firstToken, "firstToken");
    }
    if (idle != null) {
      Check.positive(idle, "idle");
    }
  }

  /** A copy with the whole-call limit set; null to unset it. */
  public TimeoutPolicy withWholeCall(@Nullable Duration value) {
    return new TimeoutPolicy(value, firstToken, idle);
  }

  /** A copy with the first-token limit set; null to unset it. */
  public TimeoutPolicy withFirstToken(@Nullable Duration value) {
    return new TimeoutPolicy(wholeCall, value, idle);
  }

  /** A copy with the idle limit set; null to unset it. */
  public TimeoutPolicy withIdle(@Nullable Duration value) {
    return new TimeoutPolicy(wholeCall, firstToken, value);
  }

  /** This policy, with each limit it leaves unset taken from {@code fallback}. */
  public TimeoutPolicy orElse(TimeoutPolicy fallback) {
    Check.nonNull(fallback, "fallback");
    return new TimeoutPolicy(wholeCall != null ? wholeCall : fallback.wholeCall,
        firstToken != null ? firstToken : fallback.firstToken, idle != null ? idle : fallback.idle);
  }

  /** This policy with only the limits in {@code limits} kept; the others unset. */
  public TimeoutPolicy only(Set<Limit> limits) {
    Check.nonNull(limits, "limits");
    return new TimeoutPolicy(limits.contains(Limit.WHOLE_CALL) ? wholeCall : null,
        limits.contains(Limit.FIRST_TOKEN) ? firstToken : null, limits.contains(Limit.IDLE) ? idle : null);
  }

  /** Whether limit {@code limit} is set. */
  public boolean sets(Limit limit) {
    return switch (Check.nonNull(limit, "limit")) {
      case WHOLE_CALL -> wholeCall != null;
      case FIRST_TOKEN -> firstToken != null;
      case IDLE -> idle != null;
    };
  }

  /** Whether no limit is set. */
  public boolean isEmpty() {
    return wholeCall == null && firstToken == null && idle == null;
  }
}
