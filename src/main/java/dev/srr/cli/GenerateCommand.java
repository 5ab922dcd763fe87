package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.GreedyDecoder;
import dev.srr.engine.LoadedModel;
import dev.srr.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Continue a token sequence.")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL_DIR", description = "Checkpoint folder.")
    Path model;

    @Option(names = "--ids", required = true, description = "Prompt token ids, comma-separated.")
    String ids;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--greedy", description = "Always take the most likely token.")
    boolean greedy;

    @Option(names = "--backend", defaultValue = "cpu", description = "cpu or tornado (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--json", description = "Print {\"ids\": [...]}.")
    boolean json;

    @Override
    public Integer call() {
        if (maxNewTokens < 1) throw new SrrException("--max-new-tokens must be at least 1");
        int[] prompt = Ids.parse(ids, "--ids");
        try (LoadedModel m = LoadedModel.open(model, backend)) {
            int[] out = GreedyDecoder.continueGreedy(m.transformer(), prompt, maxNewTokens, m.config().eosTokenIds());
            if (json) {
                spec.commandLine().getOut().println(Json.write(Map.of("ids", out)));
            } else {
                spec.commandLine().getOut().println(java.util.Arrays.toString(out).replaceAll("[\\[\\] ]", ""));
            }
        }
        return 0;
    }
}
