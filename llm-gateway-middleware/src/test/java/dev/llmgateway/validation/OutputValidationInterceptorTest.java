package dev.llmgateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.Role;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.OutputValidationException;
import dev.llmgateway.guard.GuardDecision;
import dev.llmgateway.guard.GuardDecision.Verdict;
import dev.llmgateway.guard.GuardDecisionLog;
import dev.llmgateway.guard.ScriptedModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputValidationInterceptorTest {
  private static final String SCHEMA = """
      {"type": "object",
       "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
       "required": ["name", "age"],
       "additionalProperties": false}""";
  private static final String VALID = "{\"name\": \"Ada\", \"age\": 36}";
  private static final String INVALID = "{\"name\": \"Ada\", \"age\": \"thirty-six\"}";

  private final ScriptedModel model = new ScriptedModel();
  private final CallContext context = CallContext.standalone(false);
  private final OutputValidationInterceptor validation = OutputValidationInterceptor.builder().build();

  private static ChatRequest request() {
    return ChatRequest.builder().model("test/model").user("Who wrote the first program? As JSON.")
        .responseFormat(ResponseFormat.jsonSchema("person", SCHEMA)).build();
  }

  private static List<Verdict> verdicts(CallContext context) {
    return GuardDecisionLog.of(context).decisions().stream().map(GuardDecision::verdict).toList();
  }

  @Test
  void builtInterceptorHasTheDocumentedDefaults() {
    assertThat(validation.repairAttempts()).isEqualTo(OutputValidationInterceptor.DEFAULT_REPAIR_ATTEMPTS)
        .isEqualTo(1);
    assertThat(validation.maxErrorsInRepair())
        .isEqualTo(OutputValidationInterceptor.DEFAULT_MAX_ERRORS_IN_REPAIR).isEqualTo(10);
    assertThat(validation.stripCodeFence()).isEqualTo(OutputValidationInterceptor.DEFAULT_STRIP_CODE_FENCE)
        .isTrue();
    assertThat(validation.repairInstructions())
        .isEqualTo(OutputValidationInterceptor.DEFAULT_REPAIR_INSTRUCTIONS);
    assertThat(validation.validator().getClass().getSimpleName()).isEqualTo("NetworkntSchemaValidator");
  }

  @Test
  void aValidAnswerPassesWithOneCall() {
    model.thenAnswer(VALID);

    assertThat(validation.intercept(request(), model.chain(context)).text()).isEqualTo(VALID);

    assertThat(model.received).hasSize(1);
    assertThat(verdicts(context)).containsExactly(Verdict.ALLOW);
  }

  @Test
  void anInvalidAnswerIsRepairedWithASecondCallListingTheErrors() {
    model.thenAnswer(INVALID).thenAnswer(VALID);

    ChatResponse r = validation.intercept(request(), model.chain(context));

    assertThat(r.text()).isEqualTo(VALID);
    assertThat(model.received).hasSize(2);
    List<Message> repair = model.received.get(1).messages();
    assertThat(repair).hasSize(3);
    assertThat(repair.get(1).role()).isEqualTo(Role.ASSISTANT);
    assertThat(repair.get(1).text()).isEqualTo(INVALID);
    assertThat(repair.get(2).role()).isEqualTo(Role.USER);
    assertThat(repair.get(2).text()).contains("\"person\"", "/age: string found, integer expected");
    assertThat(model.received.get(1).responseFormat()).isEqualTo(request().responseFormat());
    assertThat(verdicts(context)).containsExactly(Verdict.FLAG);
  }

  @Test
  void twoInvalidAnswersFailWithTheRawTextButNotInTheMessage() {
    String second = "{\"name\": \"Ada\", \"age\": -1, \"secret\": \"the launch code is 0000\"}";
    model.thenAnswer(INVALID).thenAnswer(second);

    OutputValidationException e = catchThrowableOfType(OutputValidationException.class,
        () -> validation.intercept(request(), model.chain(context)));

    assertThat(model.received).hasSize(2);
    assertThat(e.rawText()).isEqualTo(second);
    assertThat(e.errors()).hasSize(2);
    assertThat(e.getMessage()).contains("'person'", "after 1 repair attempt", "2 errors")
        .doesNotContain("launch code", "Ada");
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.provider()).isEqualTo("scripted");
    assertThat(verdicts(context)).containsExactly(Verdict.BLOCK);
  }

  @Test
  void withoutRepairAttemptsAnInvalidAnswerFailsAtOnce() {
    model.thenAnswer(INVALID);

    assertThatThrownBy(() -> OutputValidationInterceptor.builder().repairAttempts(0).build()
        .intercept(request(), model.chain(context)))
        .isInstanceOf(OutputValidationException.class);
    assertThat(model.received).hasSize(1);
  }

  @Test
  void aCodeFenceAroundTheAnswerIsRemoved() {
    model.thenAnswer("```json\n" + VALID + "\n```");

    assertThat(validation.intercept(request(), model.chain(context)).text()).isEqualTo(VALID);
    assertThat(model.received).hasSize(1);
  }

  @Test
  void textThatIsNotJsonIsReportedByPositionOnly() {
    model.thenAnswer("Sure! Here is Ada Lovelace's record.").thenAnswer("Still not JSON, sorry.");

    OutputValidationException e = catchThrowableOfType(OutputValidationException.class,
        () -> validation.intercept(request(), model.chain(context)));

    assertThat(e.errors()).singleElement().asString().startsWith("not valid JSON (line 1, column");
    assertThat(e.getMessage()).doesNotContain("Sure", "sorry");
    assertThat(model.received.get(1).messages().get(2).text()).doesNotContain("Lovelace");
  }

  @Test
  void requestsWithoutASchemaAndToolCallAnswersPassUntouched() {
    ChatRequest plain = ChatRequest.builder().model("test/model").user("hi").build();
    model.thenAnswer("not json at all");
    assertThat(validation.intercept(plain, model.chain(context)).text()).isEqualTo("not json at all");

    Interceptor.Chain toolCalls = new Interceptor.Chain() {
      @Override
      public ChatResponse proceed(ChatRequest request) {
        return ChatResponse.builder().model("m").provider("p").finishReason(FinishReason.TOOL_CALLS)
            .message(Message.assistant(List.of(new ContentPart.ToolCall("c1", "lookup", "{}")))).build();
      }

      @Override
      public CallContext context() {
        return context;
      }
    };
    assertThat(validation.intercept(request(), toolCalls).toolCalls()).hasSize(1);
    assertThat(GuardDecisionLog.of(context).decisions()).isEmpty();
  }

  @Test
  void anUnusableSchemaIsAnInvalidRequest() {
    model.thenAnswer(VALID);
    ChatRequest bad = ChatRequest.builder().model("test/model").user("x")
        .responseFormat(ResponseFormat.jsonSchema("broken", "{\"type\": 12")).build();

    assertThatThrownBy(() -> validation.intercept(bad, model.chain(context)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("responseFormat.schema");
  }

  @Test
  void aValidStreamEndsNormally() {
    model.thenStream("{\"name\": ", "\"Ada\", \"age\"", ": 36}");
    CallContext streaming = CallContext.standalone(true);

    ChatStream s = validation.interceptStream(request(), model.streamChain(streaming));

    assertThat(s.collect().text()).isEqualTo(VALID.replace(" ", "").replace(":", ": ").replace(",", ", "));
    assertThat(verdicts(streaming)).containsExactly(Verdict.ALLOW);
  }

  @Test
  void anInvalidStreamFailsAtItsEndAfterEveryChunkWasDeliveredAndIsNotRepaired() {
    model.thenStream("{\"name\": \"Ada\", ", "\"age\": \"old\"}");
    CallContext streaming = CallContext.standalone(true);
    List<String> delivered = new ArrayList<>();

    ChatStream s = validation.interceptStream(request(), model.streamChain(streaming));
    OutputValidationException e = catchThrowableOfType(OutputValidationException.class,
        () -> ScriptedModel.drainText(s, delivered));

    assertThat(delivered).containsExactly("{\"name\": \"Ada\", ", "\"age\": \"old\"}");
    assertThat(e.rawText()).isEqualTo("{\"name\": \"Ada\", \"age\": \"old\"}");
    assertThat(model.received).hasSize(1);
    assertThatThrownBy(s::next).isSameAs(e);
    assertThat(verdicts(streaming)).containsExactly(Verdict.BLOCK);
  }

  @Test
  void aHostValidatorReplacesNetworknt() {
    model.thenAnswer("anything").thenAnswer("anything else");
    OutputValidationInterceptor mine = OutputValidationInterceptor.builder()
        .validator((schema, json) -> json.equals("anything else") ? List.of() : List.of("$: nope"))
        .build();

    assertThat(mine.intercept(request(), model.chain(context)).text()).isEqualTo("anything else");
  }

  @Test
  void repairInstructionsMustTakeTheSchemaNameAndTheErrors() {
    assertThatThrownBy(() -> OutputValidationInterceptor.builder().repairInstructions("Fix it: %s"))
        .isInstanceOf(LlmConfigurationException.class);
  }
}
