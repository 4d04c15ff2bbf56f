package dev.llmgateway.redaction.internal;

/**
 * Payment card numbers: the Luhn check and the issuer (IIN) prefix and length table. Covered: Visa
 * (4; 13, 16, 19 digits), Mastercard (51-55, 2221-2720; 16), American Express (34, 37; 15), Discover
 * (6011, 644-649, 65; 16-19), Diners Club (300-305, 36, 38, 39; 14-19), JCB (3528-3589; 16-19), UnionPay
 * (62; 16-19), Maestro (5018, 5020, 5038, 5893, 6304, 6759, 6761-6763; 13-19) and Mir (2200-2204; 16-19).
 */
public final class PaymentCards {
  private PaymentCards() {}

  /**
   * Whether {@code text[start, end)} is a card number: 13 to 19 digits, optionally in groups separated by
   * one kind of separator (all spaces or all dashes), passing Luhn, with a known issuer prefix and length.
   */
  public static boolean isCardNumber(CharSequence text, int start, int end) {
    char separator = 0;
    int digits = 0;
    char[] number = new char[19];
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits == 19) {
          return false;
        }
        number[digits++] = c;
      } else if (c == ' ' || c == '-') {
        if (separator != 0 && separator != c) {
          return false;
        }
        separator = c;
      } else {
        return false;
      }
    }
    return digits >= 13 && luhn(number, digits) && knownIssuer(number, digits);
  }

  /** The Luhn (mod 10) check over the first {@code length} digits. */
  public static boolean luhn(char[] digits, int length) {
    int sum = 0;
    boolean doubled = false;
    for (int i = length - 1; i >= 0; i--) {
      int d = digits[i] - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  static boolean knownIssuer(char[] n, int len) {
    int p1 = n[0] - '0';
    int p2 = p1 * 10 + (n[1] - '0');
    int p3 = p2 * 10 + (n[2] - '0');
    int p4 = p3 * 10 + (n[3] - '0');
    int p6 = (p4 * 10 + (n[4] - '0')) * 10 + (n[5] - '0');
    if (p1 == 4) {
      return len == 13 || len == 16 || len == 19;
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
      return len == 16;
    }
    if (p2 == 34 || p2 == 37) {
      return len == 15;
    }
    if (p4 >= 2200 && p4 <= 2204) {
      return len >= 16;
    }
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
      return len >= 16;
    }
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
      return len >= 14;
    }
    if (p4 >= 3528 && p4 <= 3589) {
      return len >= 16;
    }
    if (p2 == 62) {
      return len >= 16;
    }
    return p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759
        || (p4 >= 6761 && p4 <= 6763);
  }
}
