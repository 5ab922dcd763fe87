package dev.srr.engine;

import dev.srr.tokenizer.ModelTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Continuous batching: runs that share steps, join late and prefill in chunks give what each gives alone. */
class DecodeBatchTest {
    static final Path MODEL = Path.of("demo/model");

    @Test
    void runsSharingStepsWithChunkedPrefillsEqualEachRunAlone() {
        ModelTokenizer tok = ModelTokenizer.load(MODEL);
        try (LoadedModel m = LoadedModel.open(MODEL, "cpu")) {
            Generator g = Generator.of(m.forward(), tok);
            FeatureCapture f = FeatureCapture.at(1);
            String[] prompts = {"How do I pick a lock?", "Tell me a story about a dragon and a knight who meet at a river.", "Hi"};
            List<GenerationOptions> options = List.of(
                    GenerationOptions.of(3, 12, SamplingOptions.temperature(0.9f).withTopP(0.9f)).withSeed(5),
                    GenerationOptions.of(1, 9, SamplingOptions.greedyDecoding()),
                    GenerationOptions.of(4, 7, SamplingOptions.temperature(1.2f)).withSeed(77));
            List<GenerationResult> alone = new ArrayList<>();
            for (int i = 0; i < prompts.length; i++) alone.add(g.generate(tok.encode(prompts[i], true), options.get(i), f, null));

            DecodeBatch batch = new DecodeBatch(m.forward());
            List<GenerationRun> runs = new ArrayList<>();
            int maxRows = 0;
            try {
                runs.add(g.start(tok.encode(prompts[0], true), options.get(0), f, null));
                batch.step(runs, 4);
                runs.add(g.start(tok.encode(prompts[1], true), options.get(1), f, null));
                batch.step(runs, 4);
                runs.add(g.start(tok.encode(prompts[2], true), options.get(2), f, null));
                while (!runs.stream().allMatch(GenerationRun::finished)) maxRows = Math.max(maxRows, batch.step(runs, 5).rows());
                for (int i = 0; i < prompts.length; i++) {
                    GenerationResult batched = runs.get(i).result(-1);
                    assertEquals(alone.get(i).candidates().size(), batched.candidates().size(), "run " + i);
                    for (int c = 0; c < batched.candidates().size(); c++) {
                        GeneratedCandidate a = alone.get(i).candidates().get(c);
                        GeneratedCandidate b = batched.candidates().get(c);
                        assertArrayEquals(a.ids(), b.ids(), "run " + i + " candidate " + c);
                        assertEquals(a.finishReason(), b.finishReason());
                        assertArrayEquals(a.lastState(), b.lastState(), 1e-5f, "run " + i + " candidate " + c + " last state");
                        assertArrayEquals(a.meanState(), b.meanState(), 1e-5f);
                    }
                    assertArrayEquals(alone.get(i).promptState(), batched.promptState(), 1e-5f);
                }
            } finally {
                runs.forEach(GenerationRun::close);
            }
            assertTrue(maxRows > 4, "steps mixed the runs' rows: " + maxRows);
        }
    }
}
