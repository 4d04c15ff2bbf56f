package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.error.AuthenticationException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.spi.ProviderSettings;
import dev.llmgateway.spi.Secret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorsAndSecretsTest {

  @Test
  void messageNamesProviderModelStatusAndRequestId() {
    LlmException e = new RateLimitedException("slow down",
        ErrorContext.of("openai", "gpt-4o").withHttpStatus(429).withRequestId("req_1")
            .withRetryAfter(Duration.ofSeconds(2)), null);
    assertThat(e.getMessage()).isEqualTo(
        "slow down [provider=openai, model=gpt-4o, status=429, requestId=req_1, retryAfter=PT2S]");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void explicitRetryableVerdictOverridesTheTypeDefault() {
    assertThat(new RateLimitedException("quota", ErrorContext.EMPTY.withRetryable(false), null).isRetryable()).isFalse();
    assertThat(new AuthenticationException("no").isRetryable()).isFalse();
  }

  @Test
  void noDeploymentAvailableCarriesEveryAttempt() {
    ProviderUnavailableException a = new ProviderUnavailableException("a down");
    AuthenticationException b = new AuthenticationException("b key");
    NoDeploymentAvailableException e = new NoDeploymentAvailableException("all failed", ErrorContext.EMPTY, List.of(a, b));
    assertThat(e.attempts()).containsExactly(a, b);
    assertThat(e.getSuppressed()).containsExactly(a, b);
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void secretsNeverShowInToString() {
    Secret secret = Secret.of("sk-live-THE-KEY");
    assertThat(secret.toString()).doesNotContain("THE-KEY");
    ProviderSettings settings = ProviderSettings.builder("openai").apiKey("sk-live-THE-KEY")
        .header("api-key", "HEADER-SECRET").build();
    assertThat(settings.toString()).doesNotContain("THE-KEY").doesNotContain("HEADER-SECRET")
        .contains("api-key");
    assertThat(settings.apiKeys().get(0).reveal()).isEqualTo("sk-live-THE-KEY");
  }

  @Test
  void providerSettingsDefaults() {
    ProviderSettings settings = ProviderSettings.builder("x").build();
    assertThat(settings.baseUrl()).isNull();
    assertThat(settings.apiKeys()).isEmpty();
    assertThat(settings.headers()).isEmpty();
    assertThat(settings.options()).isEmpty();
  }

  @Test
  void callOptionsDefaultHasNoTimeout() {
    assertThat(CallOptions.DEFAULT.timeout()).isNull();
    assertThat(CallOptions.DEFAULT.options()).isEmpty();
    AttributeKey<String> key = AttributeKey.of("k", String.class);
    assertThat(CallOptions.DEFAULT.with(key, "v").get(key)).isEqualTo("v");
  }

  @Test
  void cancelHooksRunOnceAndLateHooksRunImmediately() {
    CallContext context = CallContext.standalone(false);
    int[] runs = new int[2];
    context.onCancel(() -> runs[0]++);
    context.cancel();
    context.cancel();
    context.onCancel(() -> runs[1]++);
    assertThat(runs).containsExactly(1, 1);
    assertThat(context.isCancelled()).isTrue();
  }
}
