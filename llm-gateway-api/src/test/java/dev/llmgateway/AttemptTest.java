package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.ProviderUnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttemptTest {
  private static final Duration TOOK = Duration.ofMillis(12);

  private static ChatResponse answer() {
    return ChatResponse.builder().model("m").provider("p").message(Message.assistant("hi")).build();
  }

  @Test
  void failedAttemptKeepsTheClassAndMessageOfAnLlmException() {
    Attempt attempt = Attempt.failed("fast", "a", "openai/gpt-4o-mini",
        new ProviderUnavailableException("HTTP 503"), TOOK);

    assertThat(attempt.outcome()).isEqualTo(Attempt.Outcome.FAILED);
    assertThat(attempt.errorType()).isEqualTo(ProviderUnavailableException.class.getName());
    assertThat(attempt.errorMessage()).startsWith("HTTP 503");
    assertThat(attempt.succeeded()).isFalse();
    assertThat(attempt.duration()).isEqualTo(TOOK);
  }

  @Test
  void failedAttemptKeepsOnlyTheClassOfAnyOtherException() {
    Attempt attempt = Attempt.failed("fast", "a", "openai/gpt-4o-mini",
        new IllegalStateException("host bug with sk-live-SECRET in it"), TOOK);

    assertThat(attempt.errorType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(attempt.errorMessage()).isNull();
    assertThat(attempt.toString()).doesNotContain("SECRET");
  }

  @Test
  void successAndEarlyCloseCarryNoError() {
    assertThat(Attempt.succeeded("fast", "a", "p/m", TOOK).errorType()).isNull();
    assertThat(Attempt.succeeded("fast", "a", "p/m", TOOK).succeeded()).isTrue();
    assertThat(Attempt.closedEarly("fast", "a", "p/m", TOOK).outcome())
        .isEqualTo(Attempt.Outcome.CLOSED_EARLY);
  }

  @Test
  void inconsistentAttemptsAreRejected() {
    assertThatThrownBy(() -> new Attempt("g", "a", "p/m", Attempt.Outcome.FAILED, null, null, TOOK))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("errorType");
    assertThatThrownBy(() -> new Attempt("g", "a", "p/m", Attempt.Outcome.SUCCEEDED, null, "x", TOOK))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("errorMessage");
    assertThatThrownBy(() -> Attempt.succeeded("g", "a", "p/m", Duration.ofMillis(-1)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("duration");
  }

  @Test
  void responseHasNoAttemptsByDefault() {
    assertThat(ChatResponse.DEFAULT_ATTEMPTS).isEmpty();
    assertThat(answer().attempts()).isEqualTo(ChatResponse.DEFAULT_ATTEMPTS);
  }

  @Test
  void attemptsSurviveToBuilderAndCanBeReplaced() {
    List<Attempt> attempts = List.of(
        Attempt.failed("fast", "a", "p/m", new ProviderUnavailableException("down"), TOOK),
        Attempt.succeeded("fast", "b", "q/m", TOOK));
    ChatResponse response = answer().toBuilder().attempts(attempts).build();

    assertThat(response.attempts()).containsExactlyElementsOf(attempts);
    assertThat(response.toBuilder().build()).isEqualTo(response);
    assertThat(response.withAttempts(List.of()).attempts()).isEmpty();
    assertThat(response.withAttempts(List.of()).text()).isEqualTo("hi");
  }

  @Test
  void noDeploymentAvailableCarriesTheAttemptRecords() {
    LlmException down = new ProviderUnavailableException("down");
    Attempt attempt = Attempt.failed("fast", "a", "p/m", down, TOOK);
    NoDeploymentAvailableException e = new NoDeploymentAvailableException("none left",
        ErrorContext.EMPTY, List.of(down), List.of(attempt));

    assertThat(e.attemptLog()).containsExactly(attempt);
    assertThat(e.attempts()).containsExactly(down);
    assertThat(new NoDeploymentAvailableException("none", ErrorContext.EMPTY, List.of()).attemptLog())
        .isEmpty();
  }
}
