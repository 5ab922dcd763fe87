package dev.srr.respond;

import dev.srr.rank.FeatureList;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.rank.RankingMetrics;
import dev.srr.features.EncodeMode;
import dev.srr.features.FeatureSpec;
import dev.srr.SrrException;
import dev.srr.compute.Backends;
import dev.srr.compute.Scorer;
import dev.srr.engine.GeneratedCandidate;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.GenerationResult;
import dev.srr.engine.Generator;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.engine.TokenListener;
import dev.srr.tokenizer.ModelTokenizer;

import java.util.List;

/**
 * SRR inference: sample K candidates, take their features from the generation itself (the prompt's state after
 * prefill, each candidate's state at its last token or averaged over its tokens), score them with the ranker and
 * pick the best. No second pass over the model unless the ranker wants standalone-encoded candidates.
 */
public final class Responder implements AutoCloseable {
    private final LoadedModel model;
    private final ModelTokenizer tokenizer;
    private final FeatureSpec spec;
    private final Scorer scorer;

    /** {@code backend} runs the ranker's scorer too: cpu, or tornado (one task graph on the device). */
    public Responder(LoadedModel model, ModelTokenizer tokenizer, RankerCheckpoint ranker, String rankerDir, String backend) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.spec = FeatureSpec.fromJson(ranker.featureSpec(), java.nio.file.Path.of(rankerDir, RankerCheckpoint.METADATA).toString());
        int d = model.config().hiddenSize();
        if (spec.hiddenSize() != d) {
            throw new SrrException(rankerDir + ": ranker reads features of size " + spec.hiddenSize() + ", but "
                    + model.checkpoint().source() + " has hidden size " + d);
        }
        if (spec.layer() > model.config().numLayers()) {
            throw new SrrException(rankerDir + ": ranker reads layer " + spec.layer() + ", but the model has "
                    + model.config().numLayers() + " layers");
        }
        this.scorer = Backends.scorer(ranker.ranker(), backend);
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** The outcome: candidates in generation order, their scores, and the index of the chosen one. */
    public record Response(GenerationResult generation, double[] scores, int chosen) {
        public GeneratedCandidate best() {
            return generation.candidates().get(chosen);
        }
    }

    public Response respond(int[] prompt, GenerationOptions options, TokenListener listener) {
        Generator generator = new Generator(model.transformer(), ids -> tokenizer.decode(ids, true));
        GenerationResult result = generator.generate(prompt, options.withExtraEosIds(tokenizer.eosIds()),
                dev.srr.engine.FeatureCapture.at(spec.layer()), listener == null ? TokenListener.NONE : listener);
        List<GeneratedCandidate> cands = result.candidates();
        float[][] vectors = new float[cands.size()][];
        if (spec.encode() == EncodeMode.STANDALONE) {
            vectors = standalone(cands);
        } else {
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = spec.pooling() == Pooling.MEAN ? cands.get(i).meanState() : cands.get(i).lastState();
            }
        }
        double[] scores = scorer.score(new FeatureList("response", result.promptState(), vectors, new Boolean[vectors.length]));
        return new Response(result, scores, RankingMetrics.top(scores));
    }

    /** Candidates encoded on their own, as a ranker trained with {@code --encode standalone} expects. */
    private float[][] standalone(List<GeneratedCandidate> cands) {
        List<int[]> texts = cands.stream().map(c -> {
            int[] ids = tokenizer.encode(c.text() == null ? "" : c.text(), true);
            return ids.length == 0 ? new int[]{Math.max(0, tokenizer.bosId())} : ids;
        }).toList();
        var outs = model.transformer().forward(texts, dev.srr.engine.CaptureRequest.of(new int[]{spec.layer()}, spec.pooling()), null);
        float[][] v = new float[cands.size()][];
        for (int i = 0; i < v.length; i++) v[i] = outs.get(i).hidden(spec.layer(), spec.pooling());
        return v;
    }

    @Override
    public void close() {
        scorer.close();
    }
}
