package dev.llmgateway.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.Usage;
import dev.llmgateway.error.GuardRefusedException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RedactionInterceptorTest {
  private static final String EMAIL = "jane.doe@example.com";
  private static final String OTHER_EMAIL = "max@example.org";
  private static final String PHONE = "+44 20 7946 0958";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String KEY = "sk-PW44s99fZsQXPSLlGo0fFIegxli4f9mi2yVy8emE1sqizmSs";

  private final ScriptedChain chain = new ScriptedChain(false);

  private static ChatRequest request(Message... messages) {
    return ChatRequest.builder().model("openai/gpt-4o-mini").messages(List.of(messages)).build();
  }

  private static String sentText(ChatRequest request) {
    StringBuilder all = new StringBuilder();
    for (Message m : request.messages()) {
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Text t) {
          all.append(t.text()).append('\n');
        } else if (p instanceof ContentPart.ToolCall c) {
          all.append(c.arguments()).append('\n');
        } else if (p instanceof ContentPart.ToolResult r) {
          all.append(r.content()).append('\n');
        }
      }
    }
    return all.toString();
  }

  @Test
  void replacesPersonalDataWithNumberedPlaceholdersAndSecretsWithMasks() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();

    redaction.intercept(request(Message.user("Write to " + EMAIL + " and " + OTHER_EMAIL
        + ", cc " + EMAIL + ", call " + PHONE + ". My key is " + KEY + ".")), chain);

    assertThat(chain.last().messages().get(0).text()).isEqualTo(
        "Write to <EMAIL_1> and <EMAIL_2>, cc <EMAIL_1>, call <PHONE_1>. My key is [OPENAI_KEY].");
  }

  @Test
  void redactsSystemPromptsEarlierTurnsToolCallsAndToolResults() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();
    ChatRequest request = request(
        Message.system("The support address is " + EMAIL + "."),
        Message.user("Charge " + CARD + " and mail the receipt."),
        Message.assistant(List.of(new ContentPart.ToolCall("call_1", "charge",
            "{\"card\":\"" + CARD + "\",\"notify\":[\"" + EMAIL + "\"],\"raw\":4111111111111111}"))),
        Message.toolResult("call_1", "charge", "{\"status\":\"ok\",\"billing_phone\":\"" + PHONE + "\"}"),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("call_2", "lookup",
            "Customer " + OTHER_EMAIL + " found", false))));

    redaction.intercept(request, chain);
    ChatRequest sent = chain.last();

    assertThat(sent.messages().get(0).text()).isEqualTo("The support address is <EMAIL_1>.");
    assertThat(sent.messages().get(1).text()).isEqualTo("Charge <CARD_1> and mail the receipt.");
    assertThat(sent.messages().get(2).toolCalls().get(0).arguments()).isEqualTo(
        "{\"card\":\"<CARD_1>\",\"notify\":[\"<EMAIL_1>\"],\"raw\":\"<CARD_2>\"}");
    assertThat(((ContentPart.ToolResult) sent.messages().get(3).content().get(0)).content())
        .isEqualTo("{\"status\":\"ok\",\"billing_phone\":\"<PHONE_1>\"}");
    assertThat(((ContentPart.ToolResult) sent.messages().get(4).content().get(0)).content())
        .isEqualTo("Customer <EMAIL_2> found");
    assertThat(sentText(sent)).doesNotContain(EMAIL, OTHER_EMAIL, CARD, PHONE, "4111111111111111");
  }

  @Test
  void restoresPlaceholdersInTheAnswerTextRefusalAndToolCallArguments() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();
    chain.answer = req -> ChatResponse.builder().model("m").provider("p")
        .message(new Message(Role.ASSISTANT, List.of(
            new ContentPart.Text("I will mail <EMAIL_1> and call <PHONE_1>; <EMAIL_7> is unknown."),
            new ContentPart.ToolCall("c1", "send_mail", "{\"to\":\"<EMAIL_1>\",\"cc\":\"<EMAIL_2>\"}"))))
        .refusal("I cannot charge <CARD_1>").finishReason(FinishReason.TOOL_CALLS).usage(Usage.ZERO).build();

    ChatResponse answer = redaction.intercept(request(Message.user(
        "Mail " + EMAIL + ", cc " + OTHER_EMAIL + ", phone " + PHONE + ", card " + CARD)), chain);

    assertThat(answer.text()).isEqualTo(
        "I will mail " + EMAIL + " and call " + PHONE + "; <EMAIL_7> is unknown.");
    assertThat(answer.toolCalls().get(0).arguments())
        .isEqualTo("{\"to\":\"" + EMAIL + "\",\"cc\":\"" + OTHER_EMAIL + "\"}");
    assertThat(answer.refusal()).isEqualTo("I cannot charge " + CARD);
    assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void valuesRestoredIntoToolArgumentsAreJsonEscaped() {
    PiiType quoted = PiiType.of("QUOTED");
    RedactionPolicy policy = RedactionPolicy.builder()
        .addDetector(PiiDetector.regex(quoted, "(?s)Q\\(.*?\\)Q")).build();
    chain.answer = req -> ChatResponse.builder().model("m").provider("p")
        .message(Message.assistant(List.of(new ContentPart.ToolCall("c1", "note",
            "{\"text\":\"<QUOTED_1>\"}")))).usage(Usage.ZERO).build();

    ChatResponse answer = new RedactionInterceptor(policy)
        .intercept(request(Message.user("remember Q(say \"hi\"\\ now\nplease)Q")), chain);

    assertThat(chain.last().messages().get(0).text()).isEqualTo("remember <QUOTED_1>");
    assertThat(answer.toolCalls().get(0).arguments())
        .isEqualTo("{\"text\":\"Q(say \\\"hi\\\"\\\\ now\\nplease)Q\"}");
  }

  @Test
  void valuesInsideJsonStringsAreFoundInTheirDecodedForm() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();
    chain.answer = req -> ScriptedChain.answer("Noted <PHONE_1>.");
    // "\n" and "\u002b" are JSON escapes: the tool result holds a line break and a plus sign.
    ChatRequest request = request(Message.toolResult("c1", "crm",
        "{\"note\":\"Call back:\\n\\u002b44 20 7946 0958\"}"));

    ChatResponse answer = redaction.intercept(request, chain);

    assertThat(((ContentPart.ToolResult) chain.last().messages().get(0).content().get(0)).content())
        .isEqualTo("{\"note\":\"Call back:\\n<PHONE_1>\"}");
    assertThat(answer.text()).isEqualTo("Noted +44 20 7946 0958.");
  }

  @Test
  void refuseModeFailsTheCallNamingTheTypeButNeverTheValueAndSendsNothing() {
    RedactionInterceptor redaction = new RedactionInterceptor(RedactionPolicy.builder()
        .mode(PiiType.CARD, RedactionMode.REFUSE).mode(PiiType.SSN, RedactionMode.REFUSE).build());

    assertThatThrownBy(() -> redaction.intercept(request(Message.user(
        "Card " + CARD + ", SSN 536-22-8741, mail " + EMAIL)), chain))
        .isInstanceOf(GuardRefusedException.class)
        .hasMessageContaining("CARD, SSN")
        .hasMessageNotContaining("4111")
        .hasMessageNotContaining("536-22")
        .hasMessageNotContaining(EMAIL)
        .satisfies(e -> assertThat(((GuardRefusedException) e).isRetryable()).isFalse());
    assertThat(chain.received).isEmpty();
  }

  @Test
  void refuseModeAlsoCoversToolResults() {
    RedactionInterceptor redaction = new RedactionInterceptor(RedactionPolicy.builder()
        .mode(PiiType.PRIVATE_KEY, RedactionMode.REFUSE).build());
    String key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\n-----END PRIVATE KEY-----";

    assertThatThrownBy(() -> redaction.intercept(request(Message.toolResult("c", "read_file", key)), chain))
        .isInstanceOf(GuardRefusedException.class).hasMessageContaining("PRIVATE_KEY");
    assertThat(chain.received).isEmpty();
  }

  @Test
  void hashModeIsStableForTheLifeOfThePolicyAndDependsOnTheSalt() {
    RedactionPolicy policy = RedactionPolicy.builder().mode(PiiType.EMAIL, RedactionMode.HASH).build();
    RedactionInterceptor redaction = new RedactionInterceptor(policy);

    redaction.intercept(request(Message.user("a " + EMAIL + " b " + EMAIL + " c " + OTHER_EMAIL)), chain);
    String first = chain.last().messages().get(0).text();
    redaction.intercept(request(Message.user("again " + EMAIL)), new ScriptedChain(false));
    ScriptedChain second = new ScriptedChain(false);
    redaction.intercept(request(Message.user("again " + EMAIL)), second);

    Matcher hashes = Pattern.compile("\\[EMAIL:([0-9a-f]{12})]").matcher(first);
    assertThat(hashes.find()).isTrue();
    String hashOfEmail = hashes.group(1);
    assertThat(hashes.find()).isTrue();
    assertThat(hashes.group(1)).as("same value, same hash").isEqualTo(hashOfEmail);
    assertThat(hashes.find()).isTrue();
    assertThat(hashes.group(1)).as("another value").isNotEqualTo(hashOfEmail);
    assertThat(second.last().messages().get(0).text()).isEqualTo("again [EMAIL:" + hashOfEmail + "]");

    ScriptedChain otherSalt = new ScriptedChain(false);
    new RedactionInterceptor(policy.toBuilder().hashSalt("another salt").build())
        .intercept(request(Message.user("again " + EMAIL)), otherSalt);
    assertThat(otherSalt.last().messages().get(0).text()).isNotEqualTo("again [EMAIL:" + hashOfEmail + "]");

    ScriptedChain sameSalt = new ScriptedChain(false);
    new RedactionInterceptor(policy.toBuilder().build())
        .intercept(request(Message.user("again " + EMAIL)), sameSalt);
    assertThat(sameSalt.last().messages().get(0).text()).as("a configured salt survives restarts")
        .isEqualTo("again [EMAIL:" + hashOfEmail + "]");
  }

  @Test
  void allowLeavesTheValueAndIsStillReported() {
    RedactionInterceptor redaction = new RedactionInterceptor(
        RedactionPolicy.builder().mode(PiiType.IPV4, RedactionMode.ALLOW).build());

    redaction.intercept(request(Message.user("host 10.0.0.1, mail " + EMAIL)), chain);

    assertThat(chain.last().messages().get(0).text()).isEqualTo("host 10.0.0.1, mail <EMAIL_1>");
    assertThat(chain.context.get(RedactionInterceptor.REPORT))
        .isEqualTo(new RedactionReport(java.util.Map.of("EMAIL", 1, "IPV4", 1)));
  }

  @Test
  void aRequestWithoutPiiIsPassedOnUntouched() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();
    ChatRequest request = request(Message.user("What is the capital of Australia?"));
    ChatResponse scripted = ScriptedChain.answer("Canberra");
    chain.answer = req -> scripted;

    ChatResponse answer = redaction.intercept(request, chain);

    assertThat(chain.last()).isSameAs(request);
    assertThat(answer).isSameAs(scripted);
    assertThat(chain.context.get(RedactionInterceptor.REPORT)).isEqualTo(RedactionReport.NONE);
  }

  @Test
  void placeholderLookalikesAlreadyInTheRequestAreNeverHandedOutOrRestored() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();
    chain.answer = req -> ScriptedChain.answer("Template <EMAIL_1>, value <EMAIL_2>.");

    ChatResponse answer = redaction.intercept(request(Message.user(
        "Fill the template <EMAIL_1> with " + EMAIL)), chain);

    assertThat(chain.last().messages().get(0).text()).isEqualTo("Fill the template <EMAIL_1> with <EMAIL_2>");
    assertThat(answer.text()).isEqualTo("Template <EMAIL_1>, value " + EMAIL + ".");
  }

  @Test
  void proceedingTwiceInOneCallKeepsTheSamePlaceholders() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();

    redaction.intercept(request(Message.user("a " + OTHER_EMAIL + " b " + EMAIL)), chain);
    redaction.intercept(request(Message.user("only " + EMAIL)), chain);

    assertThat(chain.received.get(0).messages().get(0).text()).isEqualTo("a <EMAIL_1> b <EMAIL_2>");
    assertThat(chain.received.get(1).messages().get(0).text()).isEqualTo("only <EMAIL_2>");
  }

  @Test
  void imagesAndThinkingBlocksPassUnchanged() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();
    ContentPart image = ContentPart.Image.ofUrl("https://example.com/a.png");
    ContentPart thinking = new ContentPart.Thinking("the user <EMAIL_1> wants", "sig", false);

    redaction.intercept(request(
        Message.user(image, new ContentPart.Text("mail " + EMAIL)),
        Message.assistant(List.of(thinking, new ContentPart.Text("ok")))), chain);

    assertThat(chain.last().messages().get(0).content().get(0)).isSameAs(image);
    assertThat(chain.last().messages().get(1).content().get(0)).isSameAs(thinking);
  }

  @Test
  void placeholdersNeverShowInToStringOfTheContextInterceptorOrPolicy() {
    RedactionInterceptor redaction = RedactionInterceptor.withDefaults();

    redaction.intercept(request(Message.user("mail " + EMAIL + " key " + KEY)), chain);

    assertThat(chain.context.toString()).doesNotContain(EMAIL).doesNotContain("EMAIL_1");
    assertThat(redaction.toString()).doesNotContain(EMAIL).doesNotContain(redaction.policy().hashSalt());
    assertThat(chain.context.get(RedactionInterceptor.REPORT).toString()).doesNotContain(EMAIL, KEY);
  }
}
