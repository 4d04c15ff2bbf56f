package dev.llmgateway.prompt.http.internal;

import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.BudgetExceededException;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.OutputValidationException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.error.StateStoreUnavailableException;
import dev.llmgateway.error.StreamInterruptedException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.prompt.function.InputValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One RFC 9457 problem before it is written: status, type (a suffix of the endpoint's type prefix),
 * title, detail, and the extras the endpoint adds. {@link #of(Throwable)} holds the whole mapping from
 * the gateway's exceptions to HTTP statuses. Details are either fixed sentences or the message of an
 * exception the gateway raised itself about the caller's input (never a provider's error text, never
 * an internal exception's message), so no secret or prompt text reaches a caller.
 *
 * @param status the HTTP status
 * @param type the problem type's last segment, e.g. {@code rate-limited}
 * @param title a short summary, the same for every occurrence of the type
 * @param detail what happened this time, safe to show to the caller
 * @param retryAfter sent as {@code Retry-After} when known; null otherwise
 * @param errors the validation errors (JSON Pointers and what was expected); empty for none
 * @param internal whether the cause is a defect or misconfiguration worth a warning in the log
 */
public record Problem(int status, String type, String title, String detail, @Nullable Duration retryAfter,
    List<String> errors, boolean internal) {

  /** The most validation errors listed in a problem. */
  public static final int MAX_ERRORS = 20;

  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    errors = List.copyOf(errors.size() <= MAX_ERRORS ? errors : errors.subList(0, MAX_ERRORS));
  }

  /** A problem of the endpoint's own, about the HTTP request, without errors or retry advice. */
  public static Problem of(int status, String type, String title, String detail) {
    return new Problem(status, type, title, detail, null, List.of(), false);
  }

  /** The problem a failed call becomes. */
  public static Problem of(Throwable failure) {
    if (failure instanceof InputValidationException e) {
      return new Problem(400, "invalid-input", "Invalid input", e.getMessage(), null, e.errors(), false);
    }
    if (failure instanceof UnsupportedFeatureException) {
      return new Problem(500, "unsupported-feature", "Internal error",
          "the model behind this function does not support what it needs", null, List.of(), true);
    }
    if (failure instanceof ContextLengthExceededException) {
      return of(400, "context-length-exceeded", "Input too long",
          "the input is too long for the model's context window");
    }
    if (failure instanceof InvalidRequestException e) {
      if (e.provider() != null) {
        // The provider refused the request the gateway built from a valid input: not the caller's
        // fault, and its text is not ours to relay. Worth a warning: the function or the gateway's
        // configuration may be at fault.
        return new Problem(502, "provider-error", "Bad gateway", "the model provider rejected the request",
            null, List.of(), true);
      }
      // Our own checks (a bad option, a missing template variable) carry no provider; their messages
      // are about the caller's input. One with a cause may hold another library's text: not relayed.
      return of(400, "invalid-request", "Invalid request",
          e.getCause() == null ? e.getMessage() : "the request is invalid");
    }
    if (failure instanceof OutputValidationException e) {
      return new Problem(502, "invalid-output", "Invalid model output",
          "the model's answer does not match the function's output type", null, e.errors(), false);
    }
    if (failure instanceof RateLimitedException e) {
      return new Problem(429, "rate-limited", "Rate limited",
          "too many requests; try again later", e.retryAfter(), List.of(), false);
    }
    if (failure instanceof BudgetExceededException e) {
      return new Problem(429, "budget-exceeded", "Budget exceeded",
          "the budget for these calls is spent; try again when it resets", e.retryAfter(), List.of(),
          false);
    }
    if (failure instanceof LlmTimeoutException) {
      return of(504, "timeout", "Timeout", "the model did not answer in time");
    }
    if (failure instanceof NoDeploymentAvailableException e) {
      return new Problem(503, "no-deployment-available", "Service unavailable",
          "no model deployment can serve the call right now", e.retryAfter(), List.of(), false);
    }
    if (failure instanceof GuardRefusedException e) {
      return of(422, "guard-refused", "Refused", e.provider() == null && e.getCause() == null
          ? e.getMessage() : "a guard refused the request");
    }
    if (failure instanceof ContentFilteredException) {
      return of(422, "content-filtered", "Content filtered", "the model provider filtered the content");
    }
    if (failure instanceof StateStoreUnavailableException || failure instanceof CallCancelledException) {
      return new Problem(503, "unavailable", "Service unavailable",
          "the call could not be completed; try again later", null, List.of(), true);
    }
    if (failure instanceof ProviderUnavailableException || failure instanceof MalformedResponseException
        || failure instanceof AuthenticationException || failure instanceof StreamInterruptedException) {
      // The provider's side failed, answered garbage or refused our credentials: nothing the caller did.
      return new Problem(502, "provider-error", "Bad gateway", "the model provider failed to answer", null,
          List.of(), failure instanceof AuthenticationException);
    }
    return new Problem(500, "internal-error", "Internal error", "the function failed unexpectedly", null,
        List.of(), true);
  }
}
