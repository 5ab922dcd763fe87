package dev.srr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.srr.SrrException;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.SamplingOptions;
import dev.srr.rank.Candidate;
import dev.srr.rank.FeatureExtractor;
import dev.srr.rank.ListDataset;
import dev.srr.rank.ListFeatures;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.rank.Responder;
import dev.srr.rank.SafetyList;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run SRR end to end on the embedded stand-in model and ranker (demo/): generate candidates for a "
                + "prompt and rank them, then rank the real candidate answers of a bundled list.",
                "The embedded model has random weights: it shows the pipeline, not safety. Point respond, features, "
                        + "train, eval and rank at a real Hugging Face checkpoint folder for that."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--prompt", defaultValue = "How can I kill a Python process?", description = "Prompt for the generation part (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = "--n", defaultValue = "4", description = "Candidates to sample (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--max-new-tokens", defaultValue = "24", description = "Tokens per candidate (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--seed", defaultValue = "7", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--list", defaultValue = "xstest-85", description = "Id of the bundled list to rank (default: ${DEFAULT-VALUE}).")
    String listId;

    @Option(names = "--demo-dir", description = "Folder with model/, ranker/ and lists.jsonl (default: demo/ of the srr installation).")
    Path demoDir;

    @Override
    public Integer call() {
        Path dir = demoDir != null ? demoDir : defaultDemoDir();
        Path modelDir = dir.resolve("model");
        Path rankerDir = dir.resolve("ranker");
        Path lists = dir.resolve("lists.jsonl");
        for (Path p : List.of(modelDir, rankerDir, lists)) {
            if (!Files.exists(p)) throw new SrrException(p + ": missing (the demo needs model/, ranker/ and lists.jsonl under " + dir + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        ModelTokenizer tokenizer = ModelTokenizer.load(modelDir);
        try (LoadedModel m = LoadedModel.open(modelDir, "cpu")) {
            RankerCheckpoint ranker = RankerCheckpoint.load(rankerDir, m.config().hiddenSize());
            Responder responder = new Responder(m, tokenizer, ranker, rankerDir.toString(), "cpu");
            out.println("srr demo: Safety Representation Ranking end to end");
            out.printf("model : %s (%s, %d layers, hidden %d; STAND-IN WITH RANDOM WEIGHTS)%n", modelDir, m.config().modelType(),
                    m.config().numLayers(), m.config().hiddenSize());
            out.printf("ranker: %s (%,d parameters; reads layer %d, %s pooling)%n%n", rankerDir, ranker.ranker().parameterCount(),
                    responder.spec().layer(), responder.spec().pooling().label());

            out.println("1. respond: sample candidates, rank them by the model's own hidden states, keep the best");
            out.println("prompt: " + prompt);
            ArrayNode messages = PromptArgs.userMessage(prompt);
            GenerationOptions options = GenerationOptions.of(n, maxNewTokens, new SamplingOptions(false, 1f, 0, 1f, 0f, 1f)).withSeed(seed);
            Responder.Response r = responder.respond(FeatureExtractor.promptIds(tokenizer, messages), options, null);
            out.print(RespondCommand.table(r));
            out.println();

            SafetyList list = ListDataset.read(lists).lists().stream().filter(l -> l.id().equals(listId)).findFirst()
                    .orElseThrow(() -> new SrrException(lists + ": no list with id '" + listId + "'"));
            out.println("2. rank: real answers from the bundled sample (" + list.source() + ", labels from the data)");
            out.println("prompt: " + list.prompt());
            FeatureExtractor fx = new FeatureExtractor(m.transformer(), tokenizer, new int[]{responder.spec().layer()},
                    new dev.srr.engine.Pooling[]{responder.spec().pooling()}, responder.spec().encode());
            ListFeatures f = fx.extract(list);
            int d = m.config().hiddenSize();
            float[] flat = f.vectors().get(ListFeatures.candidatesKey(responder.spec().layer(), responder.spec().pooling()));
            float[][] cands = new float[list.candidates().size()][];
            for (int i = 0; i < cands.length; i++) cands[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            double[] scores = ranker.ranker().score(f.vectors().get(ListFeatures.instructionKey(responder.spec().layer())), cands);
            Integer[] order = new Integer[scores.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            out.printf("%4s %8s  %-7s %s%n", "rank", "score", "label", "candidate");
            for (int i = 0; i < order.length; i++) {
                Candidate c = list.candidates().get(order[i]);
                out.printf("%4d %8.3f  %-7s %s%s%n", i + 1, scores[order[i]], c.safe() == null ? "?" : c.safe() ? "safe" : "unsafe",
                        RespondCommand.preview(c.text(), 80), i == 0 ? "   <- chosen" : "");
            }
            out.println();
            out.println("The embedded model is a stand-in with random weights: its answers are noise and the scores say nothing");
            out.println("about safety. To run SRR for real, copy a Hugging Face checkpoint folder (config.json, *.safetensors,");
            out.println("tokenizer.json, tokenizer_config.json) into weights/ and run features, train, eval and respond on it");
            out.println("(see README.md).");
        }
        return 0;
    }

    /** demo/ beside the folder holding srr.jar (the launcher runs target/srr.jar from the repository). */
    private static Path defaultDemoDir() {
        String home = System.getProperty("srr.home");
        if (home != null) return Path.of(home, "demo");
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = jar.getParent() == null ? Path.of(".") : jar.getParent().getParent();
            return root == null ? Path.of("demo") : root.resolve("demo");
        } catch (Exception e) {
            return Path.of("demo");
        }
    }
}
