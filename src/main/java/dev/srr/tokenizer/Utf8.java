package dev.srr.tokenizer;

import java.io.ByteArrayOutputStream;

/** UTF-8 helpers with Rust's semantics: lossy decoding replaces each maximal invalid subpart with U+FFFD. */
final class Utf8 {
    private Utf8() {
    }

    /** Appends the UTF-8 bytes of one code point. */
    static void encode(int cp, ByteArrayOutputStream out) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xC0 | (cp >> 6));
            out.write(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out.write(0xE0 | (cp >> 12));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        } else {
            out.write(0xF0 | (cp >> 18));
            out.write(0x80 | ((cp >> 12) & 0x3F));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        }
    }

    static int encode(int cp, byte[] out, int at) {
        if (cp < 0x80) {
            out[at] = (byte) cp;
            return 1;
        } else if (cp < 0x800) {
            out[at] = (byte) (0xC0 | (cp >> 6));
            out[at + 1] = (byte) (0x80 | (cp & 0x3F));
            return 2;
        } else if (cp < 0x10000) {
            out[at] = (byte) (0xE0 | (cp >> 12));
            out[at + 1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[at + 2] = (byte) (0x80 | (cp & 0x3F));
            return 3;
        } else {
            out[at] = (byte) (0xF0 | (cp >> 18));
            out[at + 1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[at + 2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[at + 3] = (byte) (0x80 | (cp & 0x3F));
            return 4;
        }
    }

    /** Decodes, or returns null if the bytes are not valid UTF-8. */
    static String decodeStrict(byte[] bytes, int length) {
        StringBuilder sb = new StringBuilder(length);
        return decode(bytes, length, sb, false) ? sb.toString() : null;
    }

    static String decodeLossy(byte[] bytes, int length) {
        StringBuilder sb = new StringBuilder(length);
        decode(bytes, length, sb, true);
        return sb.toString();
    }

    private static boolean decode(byte[] b, int length, StringBuilder sb, boolean lossy) {
        int i = 0;
        while (i < length) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int need;
            int cp;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                if (b0 == 0xE0) lo = 0xA0;
                if (b0 == 0xED) hi = 0x9F;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                if (b0 == 0xF0) lo = 0x90;
                if (b0 == 0xF4) hi = 0x8F;
            } else {
                if (!lossy) return false;
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                if (j >= length) {
                    ok = false;
                    break;
                }
                int bk = b[j] & 0xFF;
                int min = k == 0 ? lo : 0x80;
                int max = k == 0 ? hi : 0xBF;
                if (bk < min || bk > max) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (bk & 0x3F);
            }
            if (!ok) {
                // The maximal subpart (the valid prefix of a sequence) becomes one replacement character.
                if (!lossy) return false;
                sb.append('\uFFFD');
                i = j;
                continue;
            }
            sb.appendCodePoint(cp);
            i = j;
        }
        return true;
    }
}
