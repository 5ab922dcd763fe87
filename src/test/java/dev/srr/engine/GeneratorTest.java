package dev.srr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.TestData;
import dev.srr.compute.KvSequence;
import dev.srr.compute.KvSequences;
import dev.srr.compute.Step;
import dev.srr.compute.StepRequest;
import dev.srr.compute.StepOutput;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** K-candidate generation over a forked prefill against independent decoding and fresh forwards. */
class GeneratorTest {
    /** Decodes ids as "<id>" each, so stop strings can be tested before the tokenizer exists. */
    static final TokenTextDecoder ANGLE_IDS = ids -> {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append('<').append(id).append('>');
        return sb.toString();
    };

    static List<String> models() {
        return TestData.GOLDEN_MODELS;
    }

    static JsonNode sequence(String model, String seq) {
        return Json.read(TestData.goldenModel(model).resolve("reference.json")).get("sequences").get(seq);
    }

    static LoadedModel open(String model) {
        return LoadedModel.open(TestData.goldenModel(model).resolve("model"), "cpu");
    }

    static SamplingOptions warm() {
        return SamplingOptions.temperature(1.0f);
    }

    @ParameterizedTest
    @MethodSource("models")
    void greedyCandidatesEqualTransformersAndMergeIntoOne(String name) {
        try (LoadedModel m = open(name)) {
            Generator g = new Generator(m.forward(), null);
            for (String seq : List.of("A", "B")) {
                int[] prompt = GoldenParityTest.ids(sequence(name, seq).get("input_ids"));
                int[] expected = GoldenParityTest.ids(sequence(name, seq).get("greedy_new_ids"));
                GenerationOptions o = GenerationOptions.of(3, expected.length, SamplingOptions.greedyDecoding()).withIgnoreEos(true);
                GenerationResult r = g.generate(prompt, o, FeatureCapture.none(), TokenListener.NONE);
                assertEquals(1, r.candidates().size(), name + " " + seq);
                assertEquals(2, r.merged());
                GeneratedCandidate c = r.candidates().getFirst();
                assertArrayEquals(expected, c.ids(), name + " " + seq + " greedy tokens");
                assertEquals(FinishReason.LENGTH, c.finishReason());
                assertArrayEquals(new int[]{1, 2}, c.mergedIndices());
                assertEquals(3 * expected.length, r.stats().generatedTokens());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void batchedCandidatesEqualIndependentSingleSequenceRuns(String name) {
        try (LoadedModel m = open(name)) {
            int[] prompt = GoldenParityTest.ids(sequence(name, "B").get("input_ids"));
            // stopping on ids ending in 7 makes candidates leave the batch at different steps
            GenerationOptions o = GenerationOptions.of(6, 14, warm().withTopP(0.95f)).withSeed(1234).withStopStrings(List.of("7>"));
            GenerationResult r = new Generator(m.forward(), ANGLE_IDS).generate(prompt, o, FeatureCapture.none(), TokenListener.NONE);
            List<int[]> batched = expand(r, o.candidates());
            Set<String> distinct = new HashSet<>();
            Set<Integer> lengths = new HashSet<>();
            for (int i = 0; i < o.candidates(); i++) {
                int[] alone = decodeAlone(m.forward(), prompt, o, i, "7>");
                assertArrayEquals(alone, batched.get(i), name + " candidate " + i);
                distinct.add(Arrays.toString(alone));
                lengths.add(alone.length);
            }
            assertTrue(distinct.size() > 1, "sampling at temperature 1 should give different candidates");
            assertTrue(lengths.size() > 1, "candidates should leave the batch at different steps: " + lengths);
        }
    }

    @Test
    void candidatesDoNotDependOnK() {
        try (LoadedModel m = open("qwen3-tiny-bf16")) {
            int[] prompt = GoldenParityTest.ids(sequence("qwen3-tiny-bf16", "A").get("input_ids"));
            Generator g = new Generator(m.forward(), null);
            GenerationOptions o = GenerationOptions.of(2, 10, warm().withTopK(50).withRepetitionPenalty(1.3f)).withSeed(99);
            List<int[]> two = expand(g.generate(prompt, o, FeatureCapture.none(), TokenListener.NONE), 2);
            List<int[]> seven = expand(g.generate(prompt, o.withCandidates(7), FeatureCapture.none(), TokenListener.NONE), 7);
            List<int[]> again = expand(g.generate(prompt, o.withCandidates(7), FeatureCapture.none(), TokenListener.NONE), 7);
            for (int i = 0; i < 2; i++) assertArrayEquals(two.get(i), seven.get(i), "candidate " + i);
            for (int i = 0; i < 7; i++) assertArrayEquals(seven.get(i), again.get(i), "rerun candidate " + i);
            List<int[]> otherSeed = expand(g.generate(prompt, o.withSeed(100), FeatureCapture.none(), TokenListener.NONE), 2);
            assertTrue(!Arrays.equals(two.get(0), otherSeed.get(0)) || !Arrays.equals(two.get(1), otherSeed.get(1)));
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void forkedSequencesDecodeAsAPrivateCopyOfThePrefixDoes(String name) {
        try (LoadedModel m = open(name)) {
            ForwardDriver t = m.forward();
            int layers = t.config().numLayers();
            int[] prompt = GoldenParityTest.ids(sequence(name, "A").get("input_ids"));
            int[][] continuations = {{5, 17, 42, 99, 3}, {8, 8, 300, 1, 77}};
            int[] everyLayer = IntStream.rangeClosed(0, layers).toArray();
            CaptureRequest prefill = CaptureRequest.lastLogits();
            try (KvSequence parent = t.cache().open(); KvSequences privates = KvSequences.open(t.cache(), 2); KvSequences forks = new KvSequences()) {
                t.append(List.of(prompt), List.of(parent), prefill);
                for (int c = 0; c < 2; c++) t.append(List.of(prompt), List.of(privates.get(c)), prefill);
                for (int c = 0; c < 2; c++) forks.add(parent.fork(prompt.length));
                int[] forkIds = {forks.get(0).id(), forks.get(1).id()};
                for (int i = 0; i < continuations[0].length; i++) {
                    int pos = prompt.length + i;
                    Step both = new Step(new int[]{continuations[0][i], continuations[1][i]}, forkIds, new int[]{pos, pos});
                    StepOutput shared = t.step(StepRequest.logits(both, 0, 1).capturing(everyLayer, new int[]{0, 1}));
                    for (int c = 0; c < 2; c++) {
                        Step alone = new Step(new int[]{continuations[c][i]}, new int[]{privates.get(c).id()}, new int[]{pos});
                        StepOutput own = t.step(StepRequest.logits(alone, 0).capturing(everyLayer, new int[]{0}));
                        int v = t.config().vocabSize();
                        int d = t.config().hiddenSize();
                        assertClose(own.logits(), Arrays.copyOfRange(shared.logits(), c * v, (c + 1) * v), 1e-5, name + " logits " + c + "@" + i);
                        for (int l : everyLayer) {
                            assertClose(own.hidden().get(l), Arrays.copyOfRange(shared.hidden().get(l), c * d, (c + 1) * d), 1e-5,
                                    name + " hidden_states." + l + " " + c + "@" + i);
                        }
                    }
                }
                assertEquals(prompt.length + continuations[0].length, forks.get(0).length());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void capturedFeaturesEqualAFreshForwardOverPromptAndResponse(String name) {
        try (LoadedModel m = open(name)) {
            ForwardDriver t = m.forward();
            int[] prompt = GoldenParityTest.ids(sequence(name, "A").get("input_ids"));
            Generator g = new Generator(t, ANGLE_IDS);
            Set<FinishReason> reasons = new HashSet<>();
            for (int layer : new int[]{t.config().quarterLayer(), 0, t.config().numLayers()}) {
                // extra eos ids and a stop string make candidates end in all three ways, some of them early
                GenerationOptions o = GenerationOptions.of(8, 9, warm()).withSeed(layer + 5).withStopStrings(List.of("3>"))
                        .withExtraEosIds(IntStream.range(0, t.config().vocabSize()).filter(i -> i % 14 == 0).toArray());
                GenerationResult r = g.generate(prompt, o, FeatureCapture.at(layer), TokenListener.NONE);
                assertEquals(layer, r.featureLayer());
                SequenceOutput promptOnly = t.run(List.of(prompt), CaptureRequest.of(new int[]{layer}, Pooling.LAST)).getFirst();
                assertClose(r.promptState(), promptOnly.hidden(layer, Pooling.LAST), 1e-4, name + " prompt state at " + layer);
                for (GeneratedCandidate c : r.candidates()) {
                    reasons.add(c.finishReason());
                    int[] response = c.responseIds();
                    String where = name + " layer " + layer + " candidate " + c.index() + " (" + c.finishReason() + ", " + c.ids().length + " ids)";
                    if (response.length == 0) {
                        assertClose(c.lastState(), r.promptState(), 0, where + " empty response, last");
                        assertClose(c.meanState(), r.promptState(), 0, where + " empty response, mean");
                        continue;
                    }
                    int[] full = concat(prompt, response);
                    CaptureRequest req = new CaptureRequest(new int[]{layer}, new Pooling[]{Pooling.LAST, Pooling.ALL}, false, CaptureRequest.Logits.NONE);
                    SequenceOutput fresh = t.run(List.of(full), req).getFirst();
                    assertClose(c.lastState(), fresh.hidden(layer, Pooling.LAST), 1e-4, where + " last");
                    assertClose(c.meanState(), meanOf(fresh.hidden(layer, Pooling.ALL), prompt.length, full.length, t.config().hiddenSize()),
                            1e-4, where + " mean");
                }
            }
            assertEquals(Set.of(FinishReason.EOS, FinishReason.STOP, FinishReason.LENGTH), reasons);
        }
    }

    @Test
    void stopStringsEndTextBeforeTheStopAndKeepTheIds() {
        try (LoadedModel m = open("llama-tiny-bf16")) {
            int[] prompt = GoldenParityTest.ids(sequence("llama-tiny-bf16", "A").get("input_ids"));
            int[] greedy = GoldenParityTest.ids(sequence("llama-tiny-bf16", "A").get("greedy_new_ids"));
            int at = firstIndexOfFirstOccurrence(greedy, 3);
            String stop = "<" + greedy[at] + ">";
            GenerationOptions o = GenerationOptions.of(1, greedy.length, SamplingOptions.greedyDecoding())
                    .withIgnoreEos(true).withStopStrings(List.of(stop));
            GeneratedCandidate c = new Generator(m.forward(), ANGLE_IDS).generate(prompt, o, FeatureCapture.none(), TokenListener.NONE)
                    .candidates().getFirst();
            assertEquals(FinishReason.STOP, c.finishReason());
            assertArrayEquals(Arrays.copyOf(greedy, at + 1), c.ids());
            assertEquals(ANGLE_IDS.decode(Arrays.copyOf(greedy, at)), c.text());
        }
    }

    @Test
    void listenerHearsEveryTokenInOrderAndEveryFinish() {
        try (LoadedModel m = open("mistral-tiny-f32")) {
            int[] prompt = GoldenParityTest.ids(sequence("mistral-tiny-f32", "A").get("input_ids"));
            int k = 4;
            List<List<Integer>> heard = new ArrayList<>();
            for (int i = 0; i < k; i++) heard.add(new ArrayList<>());
            FinishReason[] finished = new FinishReason[k];
            TokenListener listener = new TokenListener() {
                @Override
                public void onToken(int candidate, int token, int count) {
                    heard.get(candidate).add(token);
                    assertEquals(heard.get(candidate).size(), count);
                }

                @Override
                public void onFinish(int candidate, FinishReason reason) {
                    finished[candidate] = reason;
                }
            };
            GenerationOptions o = GenerationOptions.of(k, 6, warm()).withSeed(3);
            GenerationResult r = new Generator(m.forward(), null).generate(prompt, o, FeatureCapture.none(), listener);
            List<int[]> all = expand(r, k);
            for (int i = 0; i < k; i++) {
                assertArrayEquals(all.get(i), heard.get(i).stream().mapToInt(Integer::intValue).toArray());
                assertNotNull(finished[i]);
            }
        }
    }

    @Test
    void promptsBeyondTheContextAreRefusedOrTruncatedFromTheLeft() {
        try (LoadedModel m = open("llama-tiny-bf16")) {
            int context = m.config().maxPositions();
            int bos = m.config().bosTokenId();
            int[] prompt = new int[context - 2];
            for (int i = 0; i < prompt.length; i++) prompt[i] = 3 + i % 400;
            prompt[0] = bos;
            Generator g = new Generator(m.forward(), null);
            GenerationOptions o = GenerationOptions.of(1, 5, SamplingOptions.greedyDecoding());
            SrrException e = assertThrows(SrrException.class, () -> g.generate(prompt, o, FeatureCapture.none(), TokenListener.NONE));
            assertTrue(e.getMessage().contains("exceeds the model's context of " + context), e.getMessage());
            GenerationResult r = g.generate(prompt, o.withTruncation(PromptTruncation.LEFT), FeatureCapture.none(), TokenListener.NONE);
            assertEquals(context - 5, r.prompt().length);
            assertEquals(3, r.truncatedPromptTokens());
            assertEquals(bos, r.prompt()[0]);
            assertArrayEquals(Arrays.copyOfRange(prompt, 4, prompt.length), Arrays.copyOfRange(r.prompt(), 1, r.prompt().length));
            assertThrows(SrrException.class, () -> g.generate(prompt, GenerationOptions.of(1, context, SamplingOptions.greedyDecoding())
                    .withTruncation(PromptTruncation.LEFT), FeatureCapture.none(), TokenListener.NONE));
        }
    }

    @Test
    void stopStringsWithoutADecoderAndBadFeatureLayersAreUserErrors() {
        try (LoadedModel m = open("qwen2-tiny-f16")) {
            Generator g = new Generator(m.forward(), null);
            int[] prompt = {5, 6, 7};
            GenerationOptions o = GenerationOptions.of(1, 3, SamplingOptions.greedyDecoding());
            assertThrows(SrrException.class, () -> g.generate(prompt, o.withStopStrings(List.of("x")), FeatureCapture.none(), TokenListener.NONE));
            assertThrows(SrrException.class, () -> g.generate(prompt, o, FeatureCapture.at(m.config().numLayers() + 1), TokenListener.NONE));
            assertThrows(SrrException.class, () -> g.generate(new int[]{m.config().vocabSize()}, o, FeatureCapture.none(), TokenListener.NONE));
            // the cache holds nothing after a failed run: a following run still works
            assertEquals(1, g.generate(prompt, o, FeatureCapture.none(), TokenListener.NONE).candidates().size());
        }
    }

    /**
     * The reference for one candidate: its own prefill into a private sequence, then one row per step, with
     * the same sampler and random stream the generator derives for candidate {@code index}.
     */
    static int[] decodeAlone(ForwardDriver t, int[] prompt, GenerationOptions o, int index, String stop) {
        Sampler sampler = new Sampler(o.sampling());
        SplittableRandom random = Sampler.randomFor(o.seed(), index);
        BitSet seen = new BitSet();
        for (int id : prompt) seen.set(id);
        int[] eos = o.ignoreEos() ? new int[0] : o.eosIds(t.config());
        try (KvSequence seq = t.cache().open()) {
            float[] logits = t.append(List.of(prompt), List.of(seq), CaptureRequest.lastLogits()).getFirst().logits();
            List<Integer> out = new ArrayList<>();
            while (true) {
                int next = sampler.sample(logits, seen, random);
                out.add(next);
                seen.set(next);
                int[] ids = out.stream().mapToInt(Integer::intValue).toArray();
                if (Arrays.stream(eos).anyMatch(e -> e == next) || ANGLE_IDS.decode(ids).contains(stop) || ids.length == o.maxNewTokens()) {
                    return ids;
                }
                Step step = new Step(new int[]{next}, new int[]{seq.id()}, new int[]{prompt.length + ids.length - 1});
                logits = t.step(StepRequest.logits(step, 0)).logits();
            }
        }
    }

    /** The mean of rows [from, to) of {@code rows} ([T x d]), summed in float in row order as the forward pools. */
    private static float[] meanOf(float[] rows, int from, int to, int d) {
        float[] mean = new float[d];
        for (int t = from; t < to; t++) for (int j = 0; j < d; j++) mean[j] += rows[t * d + j];
        for (int j = 0; j < d; j++) mean[j] /= (to - from);
        return mean;
    }

    /** The ids of all K requested candidates, duplicates restored from the merge records. */
    static List<int[]> expand(GenerationResult r, int k) {
        int[][] all = new int[k][];
        for (GeneratedCandidate c : r.candidates()) {
            all[c.index()] = c.ids();
            for (int j : c.mergedIndices()) all[j] = c.ids();
        }
        for (int i = 0; i < k; i++) assertNotNull(all[i], "candidate " + i + " missing");
        return Arrays.asList(all);
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** An index >= from whose id does not occur before it, so a stop on its text fires exactly there. */
    static int firstIndexOfFirstOccurrence(int[] ids, int from) {
        for (int i = from; i < ids.length; i++) {
            int id = ids[i];
            String own = "<" + id + ">";
            if (!ANGLE_IDS.decode(Arrays.copyOf(ids, i)).contains(own)) return i;
        }
        throw new AssertionError("no fresh id after " + from + " in " + Arrays.toString(ids));
    }

    static void assertClose(float[] actual, float[] expected, double tolerance, String where) {
        assertNotNull(actual, where + ": missing");
        double err = TestData.relativeError(actual, expected);
        assertTrue(err <= tolerance, where + ": relative error " + err + " > " + tolerance);
    }
}
