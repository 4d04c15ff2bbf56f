package dev.llmgateway.prompt.internal;

import dev.llmgateway.prompt.PromptDefinitionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * One file of a prompts folder, read: its path relative to the folder ({@code /}-separated), where it
 * came from (for errors) and its UTF-8 text. Only the files a registry reads are listed: YAML files
 * ({@code .yaml}, {@code .yml}), partials ({@code partials/**.mustache}) and the lock file; names starting
 * with a dot are skipped.
 *
 * @param path relative to the folder, e.g. {@code summarize.yaml} or {@code partials/tone.mustache}
 * @param origin the file or resource, e.g. {@code /repo/prompts/summarize.yaml} or
 *     {@code classpath:prompts/summarize.yaml}
 * @param content the text, line breaks normalized to {@code \n}
 */
public record FolderFile(String path, String origin, String content) {
  /** The folder of partials inside a prompts folder. */
  public static final String PARTIALS = "partials/";
  /** The extension of a partial's file. */
  public static final String PARTIAL_EXTENSION = ".mustache";

  /** Whether this is a prompt file (YAML outside the partials folder). */
  public boolean isPrompt() {
    return !path.startsWith(PARTIALS) && (path.endsWith(".yaml") || path.endsWith(".yml"));
  }

  /** Whether this is a partial. */
  public boolean isPartial() {
    return path.startsWith(PARTIALS) && path.endsWith(PARTIAL_EXTENSION);
  }

  /** The partial's name: its path under {@code partials/} without the extension. */
  public String partialName() {
    return path.substring(PARTIALS.length(), path.length() - PARTIAL_EXTENSION.length());
  }

  private static boolean wanted(String path, String lockFileName) {
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    if (fileName.startsWith(".")) {
      return false;
    }
    if (path.startsWith(PARTIALS)) {
      return path.endsWith(PARTIAL_EXTENSION);
    }
    return path.endsWith(".yaml") || path.endsWith(".yml") || path.equals(lockFileName);
  }

  /** The wanted files under {@code root}, sorted by path. */
  public static List<FolderFile> fromDirectory(Path root, String lockFileName) {
    if (!Files.isDirectory(root)) {
      throw new PromptDefinitionException(root.toString(), null, "no such directory");
    }
    List<FolderFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String path = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (wanted(path, lockFileName)) {
          files.add(new FolderFile(path, file.toString(), decode(Files.readAllBytes(file),
              file.toString())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read prompts directory " + root, e);
    }
    files.sort(Comparator.comparing(FolderFile::path));
    return files;
  }

  /**
   * The wanted files of the classpath folder {@code folder} in every classpath root that has it
   * (directories and jars), sorted by path within each root.
   */
  public static List<FolderFile> fromClasspath(String folder, ClassLoader loader,
      String lockFileName) {
    String origin = "classpath:" + folder;
    List<URL> roots;
    try {
      roots = Collections.list(loader.getResources(folder));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list classpath folder " + folder, e);
    }
    if (roots.isEmpty()) {
      throw new PromptDefinitionException(origin, null, "no such folder on the classpath (in a jar,"
          + " the folder needs its directory entry, which jars built by Maven and Gradle have)");
    }
    List<FolderFile> files = new ArrayList<>();
    for (URL root : roots) {
      List<FolderFile> some = new ArrayList<>();
      if (root.getProtocol().equals("file")) {
        try {
          for (FolderFile f : fromDirectory(Path.of(root.toURI()), lockFileName)) {
            some.add(new FolderFile(f.path(), origin + "/" + f.path(), f.content()));
          }
        } catch (URISyntaxException e) {
          throw new PromptDefinitionException(origin, null, "unreadable classpath URL " + root, e);
        }
      } else if (root.getProtocol().equals("jar")) {
        some.addAll(fromJar(root, origin, lockFileName));
      } else {
        throw new PromptDefinitionException(origin, null,
            "cannot list a classpath folder served over '" + root.getProtocol() + "'");
      }
      some.sort(Comparator.comparing(FolderFile::path));
      files.addAll(some);
    }
    return files;
  }

  private static List<FolderFile> fromJar(URL root, String origin, String lockFileName) {
    List<FolderFile> files = new ArrayList<>();
    try {
      URLConnection connection = root.openConnection();
      if (!(connection instanceof JarURLConnection jarConnection)) {
        throw new PromptDefinitionException(origin, null, "not a jar: " + root);
      }
      jarConnection.setUseCaches(false);
      String prefix = jarConnection.getEntryName();
      prefix = prefix == null || prefix.isEmpty() ? "" : (prefix.endsWith("/") ? prefix : prefix + "/");
      try (JarFile jar = jarConnection.getJarFile()) {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
            continue;
          }
          String path = entry.getName().substring(prefix.length());
          if (wanted(path, lockFileName)) {
            String where = origin + "/" + path;
            try (InputStream in = jar.getInputStream(entry)) {
              files.add(new FolderFile(path, where, decode(in.readAllBytes(), where)));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath folder " + root, e);
    }
    return files;
  }

  private static String decode(byte[] bytes, String origin) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString()
          // a checkout with Windows line endings must hash like any other
          .replace("\r\n", "\n");
    } catch (CharacterCodingException e) {
      throw new PromptDefinitionException(origin, null, "is not UTF-8 text", e);
    }
  }
}
