package dev.srr.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.InputFiles;
import dev.srr.io.Json;
import dev.srr.tokenizer.ChatMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lists of candidate responses read from JSONL, one list per line:
 * <pre>{"id": ..., "source": ..., "prompt": "..." | "messages": [{"role", "content"}...],
 *  "candidates": [{"text": "...", "label": "...", "harm": "safe"|"unsafe"|null, "attack_prompt": ...}]}</pre>
 * The safety of a candidate is its {@code harm} when it has that key ({@code null} harm means unlabelled or
 * mixed), otherwise its {@code label}. Values other than safe/unsafe are kept as {@link SafetyLabel#OTHER}
 * and counted in the {@link Summary}. A malformed line is an error naming the file and line.
 */
public final class ListDataset {
    private final List<SafetyList> lists;

    private ListDataset(List<SafetyList> lists) {
        this.lists = List.copyOf(lists);
    }

    public List<SafetyList> lists() {
        return lists;
    }

    public static ListDataset read(Path... files) {
        return read(List.of(files));
    }

    /**
     * Reads every list of every file, in order.
     *
     * @throws SrrException naming the file and line of a malformed list, a file with no lists, or a list id used
     *                      twice (features are matched to lists by id, so a repeated id would mix two lists up)
     */
    public static ListDataset read(List<Path> files) {
        List<SafetyList> out = new ArrayList<>();
        for (Path f : files) {
            int before = out.size();
            readFile(f, out);
            if (out.size() == before) throw new SrrException(f + ": no lists (the file is empty)");
        }
        Map<String, SafetyList> byId = new HashMap<>();
        for (SafetyList l : out) {
            SafetyList first = byId.putIfAbsent(l.id(), l);
            if (first != null) {
                throw new SrrException(l.file() + ":" + l.line() + ": list id '" + l.id() + "' is already used at "
                        + first.file() + ":" + first.line());
            }
        }
        return new ListDataset(out);
    }

    public static ListDataset of(List<SafetyList> lists) {
        return new ListDataset(lists);
    }

    private static void readFile(Path file, List<SafetyList> out) {
        InputFiles.requireNotFolder(file);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                out.add(parse(line, file.toString(), n));
            }
        } catch (NoSuchFileException e) {
            throw new SrrException(file + ": file not found");
        } catch (CharacterCodingException e) {
            throw new SrrException(file + ": not UTF-8 text (a JSONL file of lists was expected)");
        } catch (IOException e) {
            throw new SrrException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Parses one list (a JSONL line, or a request body holding one list); {@code file} and {@code line} only name the
     * place in errors.
     *
     * @throws SrrException naming the place and the field when the text is not a list
     */
    public static SafetyList parse(String text, String file, int line) {
        String where = file + ":" + line;
        JsonNode node = Json.parse(text, where);
        if (!node.isObject()) throw new SrrException(where + ": a list must be a JSON object");
        JsonNode idNode = node.get("id");
        if (idNode == null || !(idNode.isTextual() || idNode.isIntegralNumber())) {
            throw new SrrException(where + ": field 'id' missing or not a string");
        }
        String id = idNode.asText();
        String source = optionalText(node, "source", where);
        String prompt = optionalText(node, "prompt", where);
        List<ChatMessage> messages = new ArrayList<>();
        JsonNode msgs = node.get("messages");
        if (msgs != null && !msgs.isNull()) {
            if (!msgs.isArray()) throw new SrrException(where + ": field 'messages' must be an array");
            for (int i = 0; i < msgs.size(); i++) {
                JsonNode m = msgs.get(i);
                String w = where + ": messages[" + i + "]";
                if (!m.isObject()) throw new SrrException(w + " must be an object");
                String role = optionalText(m, "role", w);
                String content = optionalText(m, "content", w);
                if (role == null || content == null) throw new SrrException(w + ": needs 'role' and 'content' strings");
                messages.add(new ChatMessage(role, content));
            }
        }
        if (!node.has("prompt") && messages.isEmpty()) {
            throw new SrrException(where + ": list " + id + " has neither 'prompt' nor 'messages'");
        }
        JsonNode cands = node.get("candidates");
        if (cands == null || !cands.isArray()) throw new SrrException(where + ": field 'candidates' missing or not an array");
        List<Candidate> candidates = new ArrayList<>(cands.size());
        for (int i = 0; i < cands.size(); i++) candidates.add(candidate(cands.get(i), where + ": candidates[" + i + "]"));
        return new SafetyList(id, source, prompt, List.copyOf(messages), List.copyOf(candidates), node, file, line);
    }

    private static Candidate candidate(JsonNode c, String where) {
        if (!c.isObject()) throw new SrrException(where + " must be an object");
        String text = optionalText(c, "text", where);
        if (text == null) throw new SrrException(where + ": field 'text' missing or null");
        String label = optionalText(c, "label", where);
        String attack = optionalText(c, "attack_prompt", where);
        String raw = c.has("harm") ? optionalText(c, "harm", where) : label;
        SafetyLabel safety = raw == null ? SafetyLabel.UNLABELLED
                : raw.equals("safe") ? SafetyLabel.SAFE
                : raw.equals("unsafe") ? SafetyLabel.UNSAFE
                : SafetyLabel.OTHER;
        return new Candidate(text, label, safety, raw, attack, c);
    }

    private static String optionalText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new SrrException(where + ": field '" + field + "' must be a string or null");
        return v.asText();
    }

    /**
     * Label counts over all candidates.
     *
     * @param other                  counts of each value other than safe/unsafe, by value
     * @param listsWithSafeAndUnsafe lists a listwise ranker can train and be scored on
     */
    public record Summary(int lists, int listsWithoutCandidates, int candidates, int safe, int unsafe,
                          int unlabelled, Map<String, Integer> other, int listsWithSafeAndUnsafe) {
        @Override
        public String toString() {
            return lists + " lists (" + listsWithoutCandidates + " without candidates, " + listsWithSafeAndUnsafe
                    + " with safe and unsafe), " + candidates + " candidates: " + safe + " safe, " + unsafe + " unsafe, "
                    + unlabelled + " unlabelled" + (other.isEmpty() ? "" : ", other " + other);
        }
    }

    public Summary summary() {
        int empty = 0, cands = 0, safe = 0, unsafe = 0, unlabelled = 0, both = 0;
        Map<String, Integer> other = new TreeMap<>();
        for (SafetyList l : lists) {
            if (l.candidates().isEmpty()) empty++;
            boolean s = false, u = false;
            for (Candidate c : l.candidates()) {
                cands++;
                switch (c.safety()) {
                    case SAFE -> {
                        safe++;
                        s = true;
                    }
                    case UNSAFE -> {
                        unsafe++;
                        u = true;
                    }
                    case UNLABELLED -> unlabelled++;
                    case OTHER -> other.merge(c.safetyValue(), 1, Integer::sum);
                }
            }
            if (s && u) both++;
        }
        return new Summary(lists.size(), empty, cands, safe, unsafe, unlabelled, other, both);
    }
}
