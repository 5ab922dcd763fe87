package dev.srr.respond;

import dev.srr.compute.Backends;
import dev.srr.compute.Scorer;
import dev.srr.data.SafetyList;
import dev.srr.engine.FeatureCapture;
import dev.srr.engine.GeneratedCandidate;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.GenerationResult;
import dev.srr.engine.Generator;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.engine.SequenceOutput;
import dev.srr.engine.TokenListener;
import dev.srr.features.EncodeMode;
import dev.srr.features.FeatureExtractor;
import dev.srr.features.FeatureSpec;
import dev.srr.rank.FeatureList;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.rank.RankingMetrics;
import dev.srr.tokenizer.ModelTokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * SRR inference, the one place the command line, the server and the Spark job call: sample K candidates, take their
 * features from the generation itself (the prompt's state after prefill, each candidate's state at its last token or
 * averaged over its tokens), score them with the ranker and pick the best. No second pass over the model unless the
 * ranker wants standalone-encoded candidates. It also ranks a list's given candidates ({@link #rank}).
 */
public final class Responder implements AutoCloseable {
    private final LoadedModel model;
    private final ModelTokenizer tokenizer;
    private final FeatureSpec spec;
    private final FeatureExtractor extractor;
    private final Scorer scorer;

    /**
     * @param rankerDir where {@code ranker} was read from, for messages
     * @param backend   runs the ranker's scorer too: cpu, or tornado (one task graph on the device)
     * @throws dev.srr.SrrException when the model cannot give the features the ranker reads
     */
    public Responder(LoadedModel model, ModelTokenizer tokenizer, RankerCheckpoint ranker, Path rankerDir, String backend) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.spec = FeatureSpec.of(ranker, rankerDir);
        spec.requireModel(model, rankerDir);
        this.extractor = new FeatureExtractor(model.forward(), tokenizer, new int[]{spec.layer()}, new Pooling[]{spec.pooling()},
                spec.encode());
        this.scorer = Backends.scorer(ranker.ranker(), backend);
    }

    public FeatureSpec spec() {
        return spec;
    }

    /**
     * The outcome: candidates in generation order, their scores, and the index of the chosen one.
     *
     * @param generationNanos wall time of the generation (prefill, decode and the feature capture inside it)
     * @param rankingNanos    wall time after it: standalone re-encoding when the ranker wants it, and scoring
     */
    public record Response(GenerationResult generation, double[] scores, int chosen, long generationNanos, long rankingNanos) {
        public GeneratedCandidate best() {
            return generation.candidates().get(chosen);
        }
    }

    /** K candidates of {@code prompt}, chosen by the ranker from the features captured while they were generated. */
    public Response respond(int[] prompt, GenerationOptions options, TokenListener listener) {
        long start = System.nanoTime();
        GenerationResult result = Generator.of(model.forward(), tokenizer).generate(prompt, options, capture(),
                listener == null ? TokenListener.NONE : listener);
        return choose(result, System.nanoTime() - start);
    }

    /** What generation must capture for {@link #choose}: the ranker's {@code hidden_states} layer. */
    public FeatureCapture capture() {
        return FeatureCapture.at(spec.layer());
    }

    /**
     * Scores the candidates of a generation that captured {@link #capture()} (however it was driven: alone, or in a
     * server's batch) and picks the best. Runs the model only for a ranker that reads standalone-encoded candidates.
     *
     * @param generationNanos the generation's wall time, reported in the response (0 where it is not known)
     */
    public Response choose(GenerationResult result, long generationNanos) {
        long generated = System.nanoTime();
        List<GeneratedCandidate> cands = result.candidates();
        float[][] vectors = new float[cands.size()][];
        if (spec.encode() == EncodeMode.STANDALONE) {
            List<SequenceOutput> outs = extractor.standalone(cands.stream().map(c -> c.text() == null ? "" : c.text()).toList());
            for (int i = 0; i < vectors.length; i++) vectors[i] = outs.get(i).hidden(spec.layer(), spec.pooling());
        } else {
            for (int i = 0; i < vectors.length; i++) vectors[i] = cands.get(i).state(spec.pooling());
        }
        double[] scores = scorer.score(new FeatureList("response", result.promptState(), vectors, new Boolean[vectors.length]));
        return new Response(result, scores, RankingMetrics.top(scores), generationNanos, System.nanoTime() - generated);
    }

    /** Scores of a list's own candidates (features extracted as for training), in list order: higher means safer. */
    public double[] rank(SafetyList list) {
        return scorer.score(extractor.extract(list).at(spec.layer(), spec.pooling(), null));
    }

    @Override
    public void close() {
        scorer.close();
    }
}
