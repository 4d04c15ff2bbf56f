package dev.llmgateway.redaction.internal;

import java.util.Locale;
import java.util.Map;

/**
 * IBANs (ISO 13616): the length of each country's IBAN, from the SWIFT IBAN registry, and the mod-97
 * checksum.
 */
public final class Ibans {
  private Ibans() {}

  /** IBAN length per country code. */
  static final Map<String, Integer> LENGTHS = Map.ofEntries(
      Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20),
      Map.entry("AZ", 28), Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22),
      Map.entry("BH", 22), Map.entry("BI", 27), Map.entry("BR", 29), Map.entry("BY", 28),
      Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24),
      Map.entry("DE", 22), Map.entry("DJ", 27), Map.entry("DK", 18), Map.entry("DO", 28),
      Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18),
      Map.entry("FK", 18), Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22),
      Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18), Map.entry("GR", 27),
      Map.entry("GT", 28), Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22),
      Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26), Map.entry("IT", 27),
      Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28),
      Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20),
      Map.entry("LV", 21), Map.entry("LY", 25), Map.entry("MC", 27), Map.entry("MD", 24),
      Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MN", 20), Map.entry("MR", 27),
      Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NI", 28), Map.entry("NL", 18),
      Map.entry("NO", 15), Map.entry("OM", 23), Map.entry("PK", 24), Map.entry("PL", 28),
      Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29), Map.entry("RO", 24),
      Map.entry("RS", 22), Map.entry("RU", 33), Map.entry("SA", 24), Map.entry("SC", 31),
      Map.entry("SD", 18), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24),
      Map.entry("SM", 27), Map.entry("SO", 23), Map.entry("ST", 25), Map.entry("SV", 28),
      Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29),
      Map.entry("VA", 22), Map.entry("VG", 24), Map.entry("XK", 20), Map.entry("YE", 30));

  /**
   * The end of the IBAN starting at {@code start}, or -1. The IBAN may be written compact or in groups
   * separated by single spaces, in either case; it is exactly as long as its country's table entry, is
   * not directly followed by a letter or digit, and passes mod 97.
   */
  public static int end(String text, int start) {
    if (start + 4 > text.length()) {
      return -1;
    }
    String country = text.substring(start, start + 2).toUpperCase(Locale.ROOT);
    Integer length = LENGTHS.get(country);
    if (length == null) {
      return -1;
    }
    char[] iban = new char[length];
    int count = 0;
    int i = start;
    while (count < length && i < text.length()) {
      char c = text.charAt(i);
      if (isAsciiAlnum(c)) {
        iban[count++] = Character.toUpperCase(c);
        i++;
      } else if (c == ' ' && count > 0 && i + 1 < text.length() && isAsciiAlnum(text.charAt(i + 1))
          && text.charAt(i - 1) != ' ') {
        i++;
      } else {
        break;
      }
    }
    if (count < length || (i < text.length() && Character.isLetterOrDigit(text.charAt(i)))) {
      return -1;
    }
    return checksumValid(iban) ? i : -1;
  }

  /** The mod-97 check: the first four characters moved to the end, letters as 10..35, remainder 1. */
  public static boolean checksumValid(char[] iban) {
    if (!Character.isDigit(iban[2]) || !Character.isDigit(iban[3])) {
      return false;
    }
    int check = (iban[2] - '0') * 10 + (iban[3] - '0');
    if (check < 2 || check > 98) {
      return false;
    }
    int remainder = 0;
    for (int k = 0; k < iban.length; k++) {
      char c = iban[(k + 4) % iban.length];
      if (c >= '0' && c <= '9') {
        remainder = (remainder * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return remainder == 1;
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
