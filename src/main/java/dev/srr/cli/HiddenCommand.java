package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.engine.SequenceOutput;
import dev.srr.io.SafetensorsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "hidden", mixinStandardHelpOptions = true,
        description = {"Run one forward over token ids and write hidden states (and logits) as float32 safetensors.",
                "Tensors: hidden_states.K with K as in transformers' output_hidden_states (0 = embeddings, "
                        + "i = output of decoder layer i-1, num_layers = after the final norm); raw_last_layer with "
                        + "--raw-last; logits with --logits. The forward stops after the highest layer requested."})
public final class HiddenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "Model: a Hugging Face checkpoint folder or a .gguf file.")
    Path model;

    @Option(names = "--ids", required = true, description = "Comma-separated token ids.")
    String ids;

    @Option(names = "--layers", defaultValue = "all", description = "hidden_states indices: all, or e.g. 0,3,7 (default: ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--pool", defaultValue = "all", description = "all ([T, hidden]), last or mean ([hidden]) (default: ${DEFAULT-VALUE}).")
    String pool;

    @Option(names = "--logits", description = "Also write logits [T, vocab] (runs the whole model).")
    boolean logits;

    @Option(names = "--raw-last", description = "Also write the last decoder layer's output before the final norm.")
    boolean rawLast;

    @Mixin
    BackendOption backend;

    @Option(names = "--out", required = true, description = "Output .safetensors file (written atomically).")
    Path out;

    @Override
    public Integer call() {
        int[] tokens = Ids.parse(ids, "--ids");
        Pooling pooling = Pooling.parse(pool);
        try (LoadedModel m = LoadedModel.open(model, backend.name)) {
            int numLayers = m.config().numLayers();
            int[] wanted = Ids.layers(layers, numLayers, "--layers");
            CaptureRequest req = new CaptureRequest(wanted, new Pooling[]{pooling}, rawLast,
                    logits ? CaptureRequest.Logits.ALL : CaptureRequest.Logits.NONE);
            SequenceOutput o = m.forward().run(List.of(tokens), req).getFirst();
            long d = m.config().hiddenSize();
            long[] shape = pooling == Pooling.ALL ? new long[]{tokens.length, d} : new long[]{d};
            SafetensorsWriter w = new SafetensorsWriter().metadata("model", m.checkpoint().identity())
                    .metadata("pooling", pooling.label());
            for (int layer : req.layers()) w.addF32("hidden_states." + layer, shape, o.hidden(layer, pooling));
            if (rawLast) w.addF32("raw_last_layer", shape, o.rawLastLayer());
            if (logits) w.addF32("logits", new long[]{tokens.length, m.config().vocabSize()}, o.logits());
            if (out.toString().isBlank()) throw new SrrException("--out: empty path");
            w.write(out);
            spec.commandLine().getErr().printf("wrote %s (%d tensors)%n", out, req.layers().length + (rawLast ? 1 : 0) + (logits ? 1 : 0));
        }
        return 0;
    }
}
