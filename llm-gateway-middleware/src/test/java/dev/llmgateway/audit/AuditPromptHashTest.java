package dev.llmgateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.spi.Secret;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuditPromptHashTest {
  private static ChatRequest.Builder base() {
    return ChatRequest.builder().model("a/model").system("Be brief.").user("Hello");
  }

  @Test
  void theHashIsSha256OfTheCanonicalPromptInHex() {
    assertThat(PromptHash.of(base().build())).matches("sha256:[0-9a-f]{64}");
    assertThat(PromptHash.of(base().build(), Secret.of("k"))).matches("hmac-sha256:[0-9a-f]{64}");
  }

  @Test
  void theSameConversationHashesAlikeWhateverTheModelParametersOrMetadata() {
    ChatRequest other = base().model("b/other").temperature(0.2).maxTokens(10)
        .metadata(RequestMetadata.EMPTY.withTenant("t")).build();

    assertThat(PromptHash.of(other)).isEqualTo(PromptHash.of(base().build()));
  }

  @Test
  void anyChangeToTheConversationChangesTheHash() {
    String h = PromptHash.of(base().build());
    assertThat(PromptHash.of(base().user("again").build())).isNotEqualTo(h);
    assertThat(PromptHash.of(ChatRequest.builder().model("a/model").user("Be brief.").user("Hello")
        .build())).as("roles count").isNotEqualTo(h);
    assertThat(PromptHash.of(ChatRequest.builder().model("a/model").system("Be brief.Hello").build()))
        .as("boundaries count").isNotEqualTo(PromptHash.of(ChatRequest.builder().model("a/model")
            .message(new Message(dev.llmgateway.Role.SYSTEM, java.util.List.of(
                new ContentPart.Text("Be brief."), new ContentPart.Text("Hello")))).build()));
  }

  @Test
  void theCanonicalFormLengthPrefixesEveryField() {
    String canonical = new String(PromptHash.canonical(ChatRequest.builder().model("m/x")
        .user("héllo").build()), StandardCharsets.UTF_8);

    assertThat(canonical).isEqualTo("7:message4:USER0:4:text6:héllo");
  }

  @Test
  void imagesAreHashedByTheirDataNotCopied() {
    String data = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    String canonical = new String(PromptHash.canonical(ChatRequest.builder().model("m/x")
        .message(Message.user(ContentPart.Image.ofBase64("image/png", data))).build()),
        StandardCharsets.UTF_8);

    assertThat(canonical).contains("image/png").doesNotContain(data);
  }
}
