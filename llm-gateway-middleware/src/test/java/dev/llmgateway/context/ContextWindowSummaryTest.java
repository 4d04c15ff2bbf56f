package dev.llmgateway.context;

import static dev.llmgateway.context.Conversations.request;
import static dev.llmgateway.context.Conversations.small;
import static dev.llmgateway.context.Conversations.text;
import static dev.llmgateway.context.Conversations.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatClient;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.StreamHandler;
import dev.llmgateway.context.ContextWindowReport.Outcome;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.ProviderUnavailableException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The SUMMARIZE policy: the summary call, through the chain or a client, and its failures. */
class ContextWindowSummaryTest {
  private static final String SECRET = "the launch code is 7-7-4-1";

  private final FakeModel model = new FakeModel()
      .answering(r -> FakeModel.isSummaryCall(r) ? "  SUMMARY  " : "ok");
  private final CallContext context = CallContext.standalone(false);

  /** 1,100 tokens: system 100, then user 200 (with the secret), assistant 200, user 200, assistant 200, user 200. */
  private static List<Message> overLimit() {
    return List.of(Message.system(text('s', 99)), Message.user(SECRET + text('a', 199 - SECRET.length())),
        Message.assistant(text('b', 199)), Message.user(text('c', 199)), Message.assistant(text('d', 199)),
        Message.user(text('e', 199)));
  }

  private static ContextWindowInterceptor.Builder summarizing() {
    return small().policy(ContextWindowPolicy.SUMMARIZE);
  }

  private ContextWindowReport report() {
    return context.get(ContextWindowInterceptor.REPORT);
  }

  @Test
  void olderTurnsAreReplacedByOneSystemMessageHoldingTheSummary() {
    // The last two turns are assistant 'd' and user 'e': the assistant turn opening them is summarized
    // too, so that the kept conversation opens with the user's message (startOnUserTurn, the default).
    List<Message> messages = overLimit();

    String answer = summarizing().build().intercept(request("fake/small", messages), model.chain(context))
        .text();

    assertThat(answer).isEqualTo("ok");
    assertThat(model.received).hasSize(2);
    ChatRequest summaryCall = model.received.get(0);
    assertThat(summaryCall.model()).isEqualTo("fake/small");
    assertThat(summaryCall.maxTokens()).isEqualTo(ContextWindowInterceptor.DEFAULT_SUMMARY_MAX_TOKENS);
    assertThat(summaryCall.messages()).hasSize(2);
    assertThat(summaryCall.messages().get(0).text()).isEqualTo(ContextWindowInterceptor.DEFAULT_SUMMARY_PROMPT);
    assertThat(summaryCall.messages().get(1).text())
        .startsWith("<transcript>\nUser:\n" + SECRET)
        .contains("\n\nAssistant:\n" + text('b', 199), "\n\nUser:\n" + text('c', 199),
            "\n\nAssistant:\n" + text('d', 199))
        .doesNotContain(text('s', 99), text('e', 199))
        .endsWith("\n</transcript>");

    assertThat(model.received.get(1).messages()).containsExactly(messages.get(0),
        Message.system(ContextWindowInterceptor.DEFAULT_SUMMARY_PREFIX + "SUMMARY"), messages.get(5));
    long summaryTokens = 1 + ContextWindowInterceptor.DEFAULT_SUMMARY_PREFIX.length() + "SUMMARY".length();
    assertThat(report()).isEqualTo(new ContextWindowReport("fake/small", Outcome.SUMMARIZED, 1_000, 1_000L,
        1_100, 300 + summaryTokens, 4));
    assertThat(report().summarized()).isTrue();
  }

  @Test
  void withoutStartingOnAUserTurnExactlyTheTurnsBeforeTheLastOnesAreSummarized() {
    List<Message> messages = overLimit();

    summarizing().startOnUserTurn(false).build().intercept(request("fake/small", messages),
        model.chain(context));

    assertThat(model.received.get(0).messages().get(1).text()).doesNotContain(text('d', 199));
    assertThat(model.received.get(1).messages()).containsExactly(messages.get(0),
        Message.system(ContextWindowInterceptor.DEFAULT_SUMMARY_PREFIX + "SUMMARY"), messages.get(4),
        messages.get(5));
    assertThat(report().droppedMessages()).isEqualTo(3);
  }

  @Test
  void lastTurnsHoldingNoUserTurnAreKeptAsTheyAre() {
    // 1,203 tokens; the last two turns are a tool round and the answer, with no user message to start
    // from: only the older turns are summarized, since the latest turn must reach the model.
    List<Message> messages = List.of(Message.system(text('s', 99)), Message.user(text('a', 199)),
        Message.assistant(text('b', 199)), Message.user(text('c', 199)), toolCall("c1", "lookup"),
        Message.toolResult("c1", "lookup", text('r', 299)), Message.assistant(text('d', 199)));

    summarizing().build().intercept(request("fake/small", messages), model.chain(context));

    assertThat(model.received.get(1).messages()).containsExactly(messages.get(0),
        Message.system(ContextWindowInterceptor.DEFAULT_SUMMARY_PREFIX + "SUMMARY"), messages.get(4),
        messages.get(5), messages.get(6));
    assertThat(report().droppedMessages()).isEqualTo(3);
  }

  @Test
  void theSummaryModelPromptPrefixAndLimitAreConfigurable() {
    ContextWindowInterceptor i = summarizing().summaryModel("fake/large").summaryPrompt("Summarize.")
        .summaryPrefix("Earlier: ").summaryMaxTokens(64).build();
    model.answering(r -> r.model().equals("fake/large") ? "short" : "ok");

    i.intercept(request("fake/small", overLimit()), model.chain(context));

    ChatRequest summaryCall = model.received.get(0);
    assertThat(summaryCall.model()).isEqualTo("fake/large");
    assertThat(summaryCall.messages().get(0)).isEqualTo(Message.system("Summarize."));
    assertThat(summaryCall.maxTokens()).isEqualTo(64);
    assertThat(model.received.get(1).messages().get(1)).isEqualTo(Message.system("Earlier: short"));
  }

  @Test
  void theSummaryCallCarriesTheRequestsMetadata() {
    ChatRequest request = request("fake/small", overLimit()).toBuilder()
        .metadata(dev.llmgateway.RequestMetadata.EMPTY.withTenant("acme")).build();

    summarizing().build().intercept(request, model.chain(context));

    assertThat(model.received.get(0).metadata().tenant()).isEqualTo("acme");
  }

  @Test
  void aFailedSummaryFailsTheCallWithTheFailureAsCauseAndNothingOversizedIsSent() {
    ProviderUnavailableException down = new ProviderUnavailableException("overloaded",
        ErrorContext.of("fake", "small").withHttpStatus(529), null);
    model.answering(r -> {
      throw down;
    });

    ContextLengthExceededException e = catchThrowableOfType(ContextLengthExceededException.class,
        () -> summarizing().build().intercept(request("fake/small", overLimit()), model.chain(context)));

    assertThat(model.received).hasSize(1);
    assertThat(FakeModel.isSummaryCall(model.received.get(0))).isTrue();
    assertThat(e).hasCause(down);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("1100", "1000", "summarizing its 4 older messages",
        "ProviderUnavailableException", "overloaded").doesNotContain("launch");
    assertThat(report()).isEqualTo(new ContextWindowReport("fake/small", Outcome.REFUSED, 1_000, 1_000L,
        1_100, 1_100, 4));
  }

  @Test
  void aNonRetryableSummaryFailureMakesANonRetryableRefusal() {
    model.answering(r -> {
      throw new InvalidRequestException("bad request");
    });

    ContextLengthExceededException e = catchThrowableOfType(ContextLengthExceededException.class,
        () -> summarizing().build().intercept(request("fake/small", overLimit()), model.chain(context)));

    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void aForeignExceptionIsNamedByTypeOnly() {
    model.answering(r -> {
      throw new IllegalStateException("details with " + SECRET);
    });

    ContextLengthExceededException e = catchThrowableOfType(ContextLengthExceededException.class,
        () -> summarizing().build().intercept(request("fake/small", overLimit()), model.chain(context)));

    assertThat(e.getMessage()).contains("java.lang.IllegalStateException").doesNotContain("launch");
    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEmptySummaryFailsTheCall() {
    model.answering(r -> FakeModel.isSummaryCall(r) ? "   " : "ok");

    ContextLengthExceededException e = catchThrowableOfType(ContextLengthExceededException.class,
        () -> summarizing().build().intercept(request("fake/small", overLimit()), model.chain(context)));

    assertThat(e.getMessage()).contains("answered no text");
    assertThat(model.received).hasSize(1);
  }

  @Test
  void aSummaryThatStillDoesNotFitIsRefused() {
    model.answering(r -> FakeModel.isSummaryCall(r) ? text('z', 900) : "ok");

    ContextLengthExceededException e = catchThrowableOfType(ContextLengthExceededException.class,
        () -> summarizing().build().intercept(request("fake/small", overLimit()), model.chain(context)));

    assertThat(e.getMessage()).contains("older messages summarized it still needs");
    assertThat(model.received).hasSize(1);
    assertThat(report().outcome()).isEqualTo(Outcome.REFUSED);
  }

  @Test
  void nothingToSummarizeIsRefusedWithoutASummaryCall() {
    List<Message> messages = List.of(Message.system(text('s', 99)), Message.user(text('a', 999)));

    catchThrowableOfType(ContextLengthExceededException.class,
        () -> summarizing().build().intercept(request("fake/small", messages), model.chain(context)));

    assertThat(model.received).isEmpty();
  }

  @Test
  void aToolCallAndItsResultsAreSummarizedOrKeptTogether() {
    // 1,203 tokens; the last two turns are a tool round (call and result, one turn) and the question.
    List<Message> messages = List.of(Message.system(text('s', 99)), Message.user(text('a', 199)),
        Message.assistant(text('b', 199)), Message.user(text('c', 199)), toolCall("c1", "lookup"),
        Message.toolResult("c1", "lookup", text('r', 299)), Message.user(text('e', 199)));

    summarizing().build().intercept(request("fake/small", messages), model.chain(context));

    // Starting on the user turn, the tool round is summarized, call and result together.
    assertThat(model.received.get(0).messages().get(1).text())
        .contains("[called tool lookup with {}]", "[result of tool lookup: " + text('r', 299) + "]");
    assertThat(model.received.get(1).messages()).extracting(Message::role)
        .containsExactly(Role.SYSTEM, Role.SYSTEM, Role.USER);

    model.received.clear();
    summarizing().startOnUserTurn(false).build().intercept(request("fake/small", messages),
        model.chain(context));

    // Not starting on the user turn, the tool round is kept, call and result together.
    assertThat(model.received.get(0).messages().get(1).text()).doesNotContain("lookup");
    assertThat(model.received.get(1).messages()).extracting(Message::role)
        .containsExactly(Role.SYSTEM, Role.SYSTEM, Role.ASSISTANT, Role.TOOL, Role.USER);
  }

  @Test
  void aStreamingCallSummarizesThroughAStreamCollectedBeforeItsOwnOpens() {
    CallContext streaming = CallContext.standalone(true);

    String answer = summarizing().build()
        .interceptStream(request("fake/small", overLimit()), model.streamChain(streaming)).collect().text();

    assertThat(answer).isEqualTo("ok");
    assertThat(model.received).hasSize(2);
    assertThat(model.received.get(1).messages().get(1).text()).endsWith("SUMMARY");
    assertThat(streaming.get(ContextWindowInterceptor.REPORT).outcome()).isEqualTo(Outcome.SUMMARIZED);
  }

  @Test
  void withAClientTheSummaryIsAskedThroughItAndNotThroughTheChain() {
    RecordingClient client = new RecordingClient();
    ContextWindowInterceptor i = summarizing().summaryClient(() -> client).build();

    i.intercept(request("fake/small", overLimit()), model.chain(context));

    assertThat(i.usesSummaryClient()).isTrue();
    assertThat(client.requests).hasSize(1);
    assertThat(FakeModel.isSummaryCall(client.requests.get(0))).isTrue();
    assertThat(model.received).hasSize(1);
    assertThat(model.received.get(0).messages().get(1).text()).endsWith("from the client");
  }

  @Test
  void aCallMadeThroughTheClientPassesThisInterceptorUnchanged() {
    RecordingClient client = new RecordingClient();
    ContextWindowInterceptor i = summarizing().summaryClient(() -> client).build();
    i.intercept(request("fake/small", overLimit()), model.chain(context));
    CallOptions ownOptions = client.options.get(0);
    CallContext ownCall = CallContext.create(ownOptions, dev.llmgateway.ChatEventListener.NONE, false);
    ChatRequest oversized = request("fake/small", overLimit());
    model.received.clear();

    i.intercept(oversized, model.chain(ownCall));

    assertThat(model.received).containsExactly(oversized);
    assertThat(ownCall.get(ContextWindowInterceptor.REPORT)).isNull();
  }

  /** A client answering every call with a fixed text, recording what it was asked. */
  private static final class RecordingClient implements ChatClient {
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    final List<CallOptions> options = new CopyOnWriteArrayList<>();

    @Override
    public ChatResponse chat(ChatRequest request, CallOptions callOptions) {
      requests.add(request);
      options.add(callOptions);
      return FakeModel.response(request, "from the client");
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, CallOptions callOptions) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallOptions callOptions) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<ChatResponse> stream(ChatRequest request, CallOptions callOptions,
        StreamHandler handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
