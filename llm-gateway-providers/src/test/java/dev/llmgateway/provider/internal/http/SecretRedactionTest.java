package dev.llmgateway.provider.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.spi.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {

  @Test
  void removesConfiguredSecretsAndKeyLikeTokens() {
    Secret key = Secret.of("my-very-secret-token");
    String scrubbed = SecretRedaction.scrub("bad key my-very-secret-token or sk-proj-abc*****wxyz given",
        List.of(key));
    assertThat(scrubbed).isEqualTo("bad key [redacted] or [redacted] given");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    assertThat(SecretRedaction.scrub("Rate limit reached for gpt-4o in organization org-1 on tokens",
        List.of())).isEqualTo("Rate limit reached for gpt-4o in organization org-1 on tokens");
  }
}
