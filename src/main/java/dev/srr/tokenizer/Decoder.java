package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The "decoder" of tokenizer.json: turns token strings back into text. Each step maps the list of token
 * strings to a new list; the final text is their concatenation.
 */
interface Decoder {
    List<String> decodeChain(List<String> tokens);

    static Decoder fromJson(JsonConfig config) {
        String type = config.type();
        return switch (type) {
            case "ByteLevel" -> Decoder::byteLevel;
            case "ByteFallback" -> Decoder::byteFallback;
            case "Fuse" -> tokens -> List.of(String.join("", tokens));
            case "Replace" -> {
                TextPattern pattern = config.pattern("pattern");
                String content = config.text("content");
                yield tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (String t : tokens) out.add(NormalizedText.ofOriginal(t, 0).replace(pattern, content).toString());
                    return out;
                };
            }
            case "Strip" -> {
                int content = config.character("content", null).codePointAt(0);
                int start = config.integer("start", 0, 0, Integer.MAX_VALUE);
                int stop = config.integer("stop", 0, 0, Integer.MAX_VALUE);
                yield tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (String t : tokens) out.add(strip(t, content, start, stop));
                    return out;
                };
            }
            case "Metaspace" -> {
                MetaspacePreTokenizer m = MetaspacePreTokenizer.fromJson(config);
                int rep = m.replacement().codePointAt(0);
                boolean dropFirst = !m.prependScheme().equals("never");
                yield tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (int i = 0; i < tokens.size(); i++) {
                        StringBuilder sb = new StringBuilder();
                        for (int cp : tokens.get(i).codePoints().toArray()) {
                            if (cp != rep) sb.appendCodePoint(cp);
                            else if (!(i == 0 && dropFirst)) sb.append(' ');
                        }
                        out.add(sb.toString());
                    }
                    return out;
                };
            }
            case "Sequence" -> {
                List<Decoder> steps = new ArrayList<>();
                JsonNode list = config.array("decoders");
                for (int i = 0; i < list.size(); i++) {
                    steps.add(fromJson(config.child("decoders[" + i + "]", list.get(i))));
                }
                yield tokens -> {
                    for (Decoder step : steps) tokens = step.decodeChain(tokens);
                    return tokens;
                };
            }
            default -> throw config.unsupported(type);
        };
    }

    /** Maps alphabet characters back to bytes (tokens outside the alphabet keep their UTF-8) and decodes. */
    private static List<String> byteLevel(List<String> tokens) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (String t : tokens) {
            boolean inAlphabet = true;
            for (int i = 0; i < t.length() && inAlphabet; i++) inAlphabet = ByteLevelAlphabet.byteOf(t.charAt(i)) >= 0;
            if (inAlphabet) {
                for (int i = 0; i < t.length(); i++) bytes.write(ByteLevelAlphabet.byteOf(t.charAt(i)));
            } else {
                bytes.writeBytes(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        byte[] b = bytes.toByteArray();
        return List.of(Utf8.decodeLossy(b, b.length));
    }

    /** Runs of &lt;0xHH&gt; tokens become their UTF-8 text, or one U+FFFD per byte if invalid. */
    private static List<String> byteFallback(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        byte[] pending = new byte[16];
        int n = 0;
        for (String t : tokens) {
            int b = byteToken(t);
            if (b >= 0) {
                if (n == pending.length) pending = java.util.Arrays.copyOf(pending, n * 2);
                pending[n++] = (byte) b;
                continue;
            }
            n = flushBytes(pending, n, out);
            out.add(t);
        }
        flushBytes(pending, n, out);
        return out;
    }

    private static int flushBytes(byte[] pending, int n, List<String> out) {
        if (n == 0) return 0;
        String s = Utf8.decodeStrict(pending, n);
        if (s != null) out.add(s);
        else for (int i = 0; i < n; i++) out.add("\uFFFD");
        return 0;
    }

    private static int byteToken(String t) {
        if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') return -1;
        int hi = hexDigit(t.charAt(3));
        int lo = hexDigit(t.charAt(4));
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private static String strip(String token, int content, int start, int stop) {
        int[] cps = token.codePoints().toArray();
        int from = 0;
        for (int i = 0; i < Math.min(start, cps.length) && cps[i] == content; i++) from = i + 1;
        int to = cps.length;
        for (int i = 0; i < stop && cps.length - i - 1 >= 0; i++) {
            int index = cps.length - i - 1;
            if (cps[index] != content) break;
            to = index;
        }
        return to <= from ? "" : new String(cps, from, to - from);
    }
}
