package dev.llmgateway.guard;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reads the labelled prompt files under {@code src/test/resources/guard}. */
final class Corpus {
  private Corpus() {}

  /** One labelled prompt: a user message or a tool result. */
  record Entry(String file, int line, boolean toolResult, String text) {
    ChatRequest asRequest() {
      ChatRequest.Builder b = ChatRequest.builder().model("test/model");
      if (toolResult) {
        b.user("Look this up for me.")
            .message(Message.assistant(List.of(new dev.llmgateway.ContentPart.ToolCall("call_1",
                "lookup", "{}"))))
            .message(Message.toolResult("call_1", "lookup", text));
      } else {
        b.user(text);
      }
      return b.build();
    }

    @Override
    public String toString() {
      return file + ":" + line + (toolResult ? " [tool] " : " ") + text;
    }
  }

  static List<Entry> read(String resource) {
    InputStream in = Objects.requireNonNull(Corpus.class.getResourceAsStream("/guard/" + resource),
        resource);
    List<Entry> entries = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        String scope = line.substring(0, tab);
        if (!scope.equals("user") && !scope.equals("tool")) {
          throw new IllegalStateException(resource + ":" + n + ": unknown scope " + scope);
        }
        entries.add(new Entry(resource, n, scope.equals("tool"), unescape(line.substring(tab + 1))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  /** Undoes the escapes of the corpus files: \n, \t, \\, \\uXXXX, \\UXXXXXXXX and \\x{H...}. */
  static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        out.append(c);
        continue;
      }
      char next = s.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case '\\' -> out.append('\\');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        case 'U' -> {
          out.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 9), 16));
          i += 8;
        }
        case 'x' -> {
          int close = s.indexOf('}', i);
          out.appendCodePoint(Integer.parseInt(s.substring(i + 2, close), 16));
          i = close;
        }
        default -> out.append('\\').append(next);
      }
    }
    return out.toString();
  }
}
