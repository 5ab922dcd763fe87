package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.io.JsonFields;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The "post_processor" of tokenizer.json: adds special tokens (BOS/EOS) and adjusts offsets. */
interface PostProcessor {
    void process(Encoding encoding, boolean addSpecialTokens);

    static PostProcessor fromJson(JsonConfig config) {
        String type = config.type();
        return switch (type) {
            case "ByteLevel" -> {
                boolean trim = config.bool("trim_offsets", true);
                boolean prefix = config.bool("add_prefix_space", true);
                yield (encoding, add) -> {
                    if (trim) trimByteLevelOffsets(encoding, prefix);
                };
            }
            case "TemplateProcessing" -> templateProcessing(config);
            case "Sequence" -> {
                List<PostProcessor> steps = new ArrayList<>();
                JsonNode list = config.array("processors");
                for (int i = 0; i < list.size(); i++) {
                    steps.add(fromJson(config.child("processors[" + i + "]", list.get(i))));
                }
                yield (encoding, add) -> {
                    for (PostProcessor step : steps) step.process(encoding, add);
                };
            }
            default -> throw config.unsupported(type);
        };
    }

    /** Offsets of byte-level tokens leave out the spaces the token starts or ends with. */
    private static void trimByteLevelOffsets(Encoding e, boolean addPrefixSpace) {
        for (int i = 0; i < e.size(); i++) {
            String token = e.token(i);
            int[] cps = token.codePoints().toArray();
            int leading = 0;
            while (leading < cps.length && isSpace(cps[leading])) leading++;
            int trailing = 0;
            while (trailing < cps.length && isSpace(cps[cps.length - 1 - trailing])) trailing++;
            int start = e.start(i);
            int end = e.end(i);
            if (leading > 0) {
                boolean first = i == 0 || start == 0;
                if (first && addPrefixSpace && leading == 1) leading = 0;
                start = Math.min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) end = Math.max(end - trailing, start);
            e.setOffsets(i, start, end);
        }
    }

    private static boolean isSpace(int cp) {
        return cp == ByteLevelAlphabet.charOf(' ') || WhiteSpace.is(cp);
    }

    /** Only the "single" template applies: srr encodes one sequence at a time. */
    private static PostProcessor templateProcessing(JsonConfig config) {
        Map<String, JsonConfig> specials = new java.util.HashMap<>();
        JsonNode sp = config.node().get("special_tokens");
        if (sp != null && !sp.isNull()) {
            if (!sp.isObject()) throw config.error("\"special_tokens\" must be an object");
            for (Iterator<Map.Entry<String, JsonNode>> it = sp.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                specials.put(e.getKey(), config.child("special_tokens." + e.getKey(), e.getValue()));
            }
        }
        JsonNode single = config.array("single");
        List<int[]> before = new ArrayList<>();
        List<int[]> after = new ArrayList<>();
        List<String> beforeTokens = new ArrayList<>();
        List<String> afterTokens = new ArrayList<>();
        boolean seenSequence = false;
        for (int p = 0; p < single.size(); p++) {
            JsonNode piece = single.get(p);
            if (piece.has("Sequence")) {
                seenSequence = true;
                continue;
            }
            JsonNode special = piece.get("SpecialToken");
            if (special == null) throw config.error("template piece must be Sequence or SpecialToken: " + piece);
            String name = config.child("single[" + p + "].SpecialToken", special).text("id");
            JsonConfig def = specials.get(name);
            if (def == null) throw config.error("special token \"" + name + "\" is used but not defined");
            int[] ids = JsonFields.at(def.file(), def.component(), def.node()).intArray("ids", 0, Integer.MAX_VALUE);
            List<String> toks = JsonFields.at(def.file(), def.component(), def.node()).textArray("tokens");
            if (toks.size() != ids.length) {
                throw def.error(ids.length + " ids but " + toks.size() + " tokens");
            }
            for (int i = 0; i < ids.length; i++) {
                (seenSequence ? after : before).add(new int[]{ids[i]});
                (seenSequence ? afterTokens : beforeTokens).add(toks.get(i));
            }
        }
        return (encoding, add) -> {
            if (!add) return;
            for (int i = 0; i < before.size(); i++) encoding.insert(i, before.get(i)[0], beforeTokens.get(i), 0, 0);
            for (int i = 0; i < after.size(); i++) encoding.add(after.get(i)[0], afterTokens.get(i), 0, 0);
        };
    }
}
