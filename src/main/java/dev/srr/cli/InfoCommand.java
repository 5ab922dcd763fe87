package dev.srr.cli;

import dev.srr.io.Json;
import dev.srr.model.Checkpoint;
import dev.srr.model.ModelConfig;
import dev.srr.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a checkpoint's family, shape, dtype, parameter count and weight bytes.")
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A Hugging Face checkpoint folder (config.json + safetensors) or a .gguf file.")
    Path model;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        try (Checkpoint ck = Checkpoint.open(model)) {
            ModelConfig c = ck.config();
            long params = 0;
            Map<String, Long> dtypes = new TreeMap<>();
            for (Tensor t : ck.weights().all().values()) {
                params += t.size();
                dtypes.merge(t.dtype().name().toLowerCase(), t.size(), Long::sum);
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("path", model.toString());
            info.put("format", Checkpoint.isGguf(model) ? "gguf " + c.dtype() : "safetensors");
            info.put("family", c.modelType());
            info.put("layers", c.numLayers());
            info.put("hidden_size", c.hiddenSize());
            info.put("intermediate_size", c.intermediateSize());
            info.put("heads", c.numHeads());
            info.put("kv_heads", c.numKvHeads());
            info.put("head_dim", c.headDim());
            info.put("vocab_size", c.vocabSize());
            info.put("max_positions", c.maxPositions());
            info.put("rope", c.rope().type() + " theta=" + c.rope().theta());
            info.put("tied_embeddings", c.tiedEmbeddings());
            info.put("dtype", String.join("+", dtypes.keySet()) + (Checkpoint.isGguf(model) ? " (in memory)" : ""));
            info.put("parameters", params);
            info.put("weight_bytes", ck.weights().totalBytes());
            info.put("default_feature_layer", c.quarterLayer());
            PrintWriter out = spec.commandLine().getOut();
            if (json.on) {
                out.println(Json.write(info));
            } else {
                info.forEach((k, v) -> out.printf("%-22s %s%n", k, v instanceof Long l ? String.format("%,d", l) : v));
            }
        }
        return 0;
    }
}
