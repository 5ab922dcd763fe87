package dev.srr.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.cli.RespondCommand;
import dev.srr.io.Json;
import dev.srr.respond.Responder;
import dev.srr.tokenizer.ChatMessage;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code respond}: every prompt answered the SRR way by the core's {@link Responder} (K sampled candidates, scored by
 * the ranker on the features captured while generating, the best chosen). Input: JSONL, one prompt per line,
 * {@code {"id": ..., "prompt": "..."}} or {@code {"id": ..., "messages": [...]}}, optionally {@code "seed": N}.
 * Output: text parts, one JSON object per prompt in input order: {@code "id"}, then the document of
 * {@code srr respond --json} (chosen, response, candidates with scores, seed, ...). A prompt with the same seed gets
 * the candidates {@code srr respond --seed} gives it.
 */
public final class RespondJob {
    private RespondJob() {
    }

    /**
     * @throws SrrException for a missing input, an existing output, or (from a task) a malformed prompt line or a
     *                      model that does not fit the ranker
     */
    public static JobReport run(JavaSparkContext sc, JobSettings settings, SamplingSettings sampling, String input, String output,
                                int minPartitions, PartitionHook hook) {
        long start = System.nanoTime();
        ListInput.requireNewOutput(sc, output);
        JobCounters counters = new JobCounters(sc.sc());
        ListInput.read(sc, input, minPartitions).mapPartitions(lines -> {
            long[] done = {0};
            return new Batched<IndexedLine, String>(lines, settings.batch(), batch -> {
                ExecutorResources.Model m = ExecutorResources.model(settings.model(), settings.backend(), counters::loaded);
                List<String> out = new ArrayList<>(batch.size());
                try (Responder responder = new Responder(m.model, m.tokenizer, ExecutorResources.ranker(settings.ranker()),
                        ExecutorResources.local(settings.ranker(), "ranker"), settings.backend())) {
                    for (IndexedLine line : batch) {
                        String where = input + ":" + (line.index + 1);
                        JsonNode node = Json.parse(line.text, where);
                        String id = id(node, where);
                        int[] prompt = promptIds(node, m, where);
                        long seed = node.hasNonNull("seed") ? node.get("seed").asLong() : sampling.seed;
                        hook.beforeList(TaskContext.get(), done[0]);
                        Responder.Response r;
                        synchronized (m.lock) {
                            r = responder.respond(prompt, sampling.options(seed), null);
                        }
                        Map<String, Object> doc = new LinkedHashMap<>();
                        doc.put("id", id);
                        doc.putAll(RespondCommand.document(r, seed));
                        out.add(Json.write(doc));
                        done[0]++;
                        counters.lists.add(1);
                        counters.candidates.add(r.generation().candidates().size());
                    }
                }
                return out;
            });
        }).saveAsTextFile(output);
        return JobReport.of(counters, start);
    }

    private static String id(JsonNode node, String where) {
        if (!node.isObject()) throw new SrrException(where + ": a prompt line must be a JSON object");
        JsonNode id = node.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) throw new SrrException(where + ": field 'id' missing or not a string");
        return id.asText();
    }

    /** The prompt's ids as {@code srr respond --prompt/--messages} makes them: the chat template with the generation prompt. */
    private static int[] promptIds(JsonNode node, ExecutorResources.Model m, String where) {
        JsonNode prompt = node.get("prompt"), messages = node.get("messages");
        if (prompt != null && prompt.isTextual()) return m.tokenizer.promptIds(List.of(ChatMessage.user(prompt.asText())));
        if (messages != null && messages.isArray() && !messages.isEmpty()) return m.tokenizer.promptIds(messages);
        throw new SrrException(where + ": needs 'prompt' (a string) or 'messages' (an array)");
    }
}
