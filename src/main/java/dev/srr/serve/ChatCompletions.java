package dev.srr.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.srr.SrrException;
import dev.srr.engine.FeatureCapture;
import dev.srr.engine.FinishReason;
import dev.srr.engine.GeneratedCandidate;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.GenerationResult;
import dev.srr.engine.SamplingOptions;
import dev.srr.engine.TokenListener;
import dev.srr.io.Json;
import dev.srr.rank.RankingMetrics;
import dev.srr.respond.Responder;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/chat/completions}: samples K candidates in the shared batch, lets the ranker choose, and answers in
 * OpenAI's shape; the {@code srr} object adds K, the chosen candidate's index and score, and every candidate when
 * asked. K = 1 (or a server without a ranker) is plain generation. Streams: with K = 1 tokens go out as they are
 * sampled; with K > 1 the stream carries keep-alive comments until the candidates are ranked, then the chosen answer.
 */
final class ChatCompletions {
    private final ServedModel served;
    private final Scheduler scheduler;
    private final ServeLimits limits;
    private final ServerMetrics metrics;

    ChatCompletions(ServedModel served, Scheduler scheduler, ServeLimits limits, ServerMetrics metrics) {
        this.served = served;
        this.scheduler = scheduler;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** What one request will run. */
    private record Plan(ChatRequest request, int[] prompt, GenerationOptions options, boolean ranked, long seed) {
    }

    /** Returns a short note for the request log. */
    String handle(HttpExchange ex, byte[] body) throws IOException {
        ChatRequest req = ChatRequest.parse(SrrServer.parseJson(body), limits.maxTokens());
        Plan plan = plan(req);
        return req.stream() ? stream(ex, plan) : answer(ex, plan);
    }

    private Plan plan(ChatRequest req) {
        if (req.k() > 1 && !served.ranks()) {
            throw ApiError.badField("srr.k", "this server has no ranker, so it samples one candidate per choice; srr.k must be 1");
        }
        int k = Math.max(req.n(), req.k() > 0 ? req.k() : served.ranks() ? served.defaultK() : 1);
        int[] prompt;
        try {
            prompt = served.tokenizer().promptIds(req.messages());
        } catch (SrrException e) {
            throw ApiError.badField("messages", "the chat template refused the messages: " + e.getMessage());
        }
        int context = served.model().config().maxPositions();
        if (prompt.length + req.maxTokens() > context) {
            throw new ApiError(400, "invalid_request_error", "This model's maximum context length is " + context + " tokens. However, "
                    + "the messages take " + prompt.length + " tokens and max_tokens asks for " + req.maxTokens() + " more ("
                    + (prompt.length + req.maxTokens()) + " in all). Shorten the messages or lower max_tokens.",
                    "messages", "context_length_exceeded");
        }
        SamplingOptions sampling = req.temperature() == 0 ? SamplingOptions.greedyDecoding()
                : SamplingOptions.temperature(req.temperature()).withTopP(req.topP());
        long seed = req.seed() != null ? req.seed() : ThreadLocalRandom.current().nextLong();
        GenerationOptions options = GenerationOptions.of(k, req.maxTokens(), sampling).withSeed(seed).withStopStrings(req.stop());
        return new Plan(req, prompt, options, served.ranks() && k > 1, seed);
    }

    private Scheduler.Ticket<Responder.Response> submit(Plan plan, TokenListener listener) {
        FeatureCapture capture = plan.ranked ? served.responder().capture() : FeatureCapture.none();
        return scheduler.submit(plan.prompt, plan.options, capture, listener, result -> {
            metrics.tokens(result.prompt().length, result.stats().generatedTokens());
            long generationNanos = result.stats().prefillNanos() + result.stats().decodeNanos();
            return plan.ranked ? served.responder().choose(result, generationNanos)
                    : new Responder.Response(result, null, 0, generationNanos, 0);
        });
    }

    private String answer(HttpExchange ex, Plan plan) throws IOException {
        Responder.Response r = await(submit(plan, TokenListener.NONE));
        List<Integer> order = order(r);
        List<Object> choices = new ArrayList<>();
        int completion = 0;
        for (int i = 0; i < Math.min(plan.request.n(), order.size()); i++) {
            GeneratedCandidate c = r.generation().candidates().get(order.get(i));
            completion += c.ids().length;
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", i);
            choice.put("message", Map.of("role", "assistant", "content", c.text()));
            choice.put("logprobs", null);
            choice.put("finish_reason", finishReason(c.finishReason()));
            choices.add(choice);
        }
        Map<String, Object> doc = head("chat.completion");
        doc.put("choices", choices);
        doc.put("usage", usage(r.generation().prompt().length, completion));
        doc.put("srr", extension(plan, r));
        HttpIo.json(ex, 200, doc);
        return note(plan, r);
    }

    /** Candidates best first (by score), or in generation order when nothing was ranked. */
    private static List<Integer> order(Responder.Response r) {
        List<Integer> order = new ArrayList<>();
        if (r.scores() != null) for (int i : RankingMetrics.order(r.scores())) order.add(i);
        else for (int i = 0; i < r.generation().candidates().size(); i++) order.add(i);
        return order;
    }

    private String stream(HttpExchange ex, Plan plan) throws IOException {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        boolean live = plan.options.candidates() == 1;
        // tokens go to this request's thread; the engine thread never waits on a client
        TokenListener listener = live ? (candidate, token, count) -> events.add(token) : TokenListener.NONE;
        Scheduler.Ticket<Responder.Response> ticket = submit(plan, listener);
        ticket.future().whenComplete((v, e) -> events.add(Done.MARKER));
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        OutputStream out = HttpIo.events(ex);
        try {
            HttpIo.event(out, chunk(id, created, plan, Map.of("role", "assistant", "content", ""), null));
            StreamedText text = new StreamedText(ids -> served.tokenizer().decode(ids, true), plan.request.stop());
            while (true) {
                Object e = events.poll(limits.keepAliveMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    HttpIo.comment(out, "keep-alive");
                } else if (e instanceof Integer token) {
                    String delta = text.add(token);
                    if (!delta.isEmpty()) HttpIo.event(out, chunk(id, created, plan, Map.of("content", delta), null));
                } else {
                    break;
                }
            }
            Responder.Response r;
            try {
                r = ticket.future().get();
            } catch (ExecutionException e) {
                HttpIo.event(out, Json.write(SrrServer.errorOf(e.getCause()).envelope()));
                HttpIo.event(out, "[DONE]");
                return "failed: " + e.getCause().getMessage();
            }
            GeneratedCandidate best = r.best();
            String rest = text.rest(best.text());
            if (!rest.isEmpty()) HttpIo.event(out, chunk(id, created, plan, Map.of("content", rest), null));
            Map<String, Object> last = chunkDoc(id, created, plan, Map.of(), finishReason(best.finishReason()));
            last.put("srr", extension(plan, r));
            HttpIo.event(out, Json.write(last));
            if (plan.request.includeUsage()) {
                Map<String, Object> u = head("chat.completion.chunk", id, created);
                u.put("choices", List.of());
                u.put("usage", usage(r.generation().prompt().length, best.ids().length));
                HttpIo.event(out, Json.write(u));
            }
            HttpIo.event(out, "[DONE]");
            out.close();
            return note(plan, r);
        } catch (IOException | InterruptedException e) {
            // the client went away (or the server is stopping): free its sequences at the next step
            ticket.cancel();
            return "client gone, cancelled";
        }
    }

    private enum Done { MARKER }

    private Responder.Response await(Scheduler.Ticket<Responder.Response> ticket) {
        try {
            return ticket.future().get();
        } catch (InterruptedException e) {
            ticket.cancel();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private String chunk(String id, long created, Plan plan, Map<String, Object> delta, String finish) {
        return Json.write(chunkDoc(id, created, plan, delta, finish));
    }

    private Map<String, Object> chunkDoc(String id, long created, Plan plan, Map<String, Object> delta, String finish) {
        Map<String, Object> doc = head("chat.completion.chunk", id, created);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finish);
        doc.put("choices", List.of(choice));
        if (plan.request.includeUsage()) doc.put("usage", null);
        return doc;
    }

    private Map<String, Object> head(String object) {
        return head(object, "chatcmpl-" + UUID.randomUUID(), System.currentTimeMillis() / 1000);
    }

    private Map<String, Object> head(String object, String id, long created) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("object", object);
        doc.put("created", created);
        doc.put("model", served.id());
        doc.put("system_fingerprint", null);
        return doc;
    }

    private static Map<String, Object> usage(int prompt, int completion) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }

    /** The {@code srr} object: K, the seed, the chosen candidate and its score, and every candidate when asked. */
    private static Map<String, Object> extension(Plan plan, Responder.Response r) {
        Map<String, Object> x = new LinkedHashMap<>();
        List<GeneratedCandidate> cands = r.generation().candidates();
        x.put("k", plan.options.candidates());
        x.put("seed", plan.seed);
        x.put("ranked", plan.ranked);
        x.put("chosen", r.chosen());
        x.put("score", r.scores() == null ? null : r.scores()[r.chosen()]);
        x.put("generated_tokens", r.generation().stats().generatedTokens());
        if (plan.request.candidates()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < cands.size(); i++) {
                GeneratedCandidate c = cands.get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", c.index());
                m.put("text", c.text());
                m.put("score", r.scores() == null ? null : r.scores()[i]);
                m.put("finish_reason", finishReason(c.finishReason()));
                m.put("completion_tokens", c.ids().length);
                m.put("merged_indices", c.mergedIndices());
                list.add(m);
            }
            x.put("candidates", list);
        }
        return x;
    }

    /** OpenAI's finish reasons: an eos id or a stop string is "stop", max_tokens is "length". */
    static String finishReason(FinishReason r) {
        return r == FinishReason.LENGTH ? "length" : "stop";
    }

    private static String note(Plan plan, Responder.Response r) {
        GenerationResult g = r.generation();
        return "k=" + plan.options.candidates() + " prompt=" + g.prompt().length + " generated=" + g.stats().generatedTokens()
                + " chosen=" + r.chosen();
    }
}
