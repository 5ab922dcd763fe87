package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.io.GgufFile;
import dev.srr.io.GgufTensor;
import dev.srr.model.Checkpoint;
import dev.srr.tensor.Tensor;
import dev.srr.tokenizer.ModelTokenizer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * GGUF files through everything srr does with one: the header and metadata ({@link GgufFile}), the config, the
 * tensor mapping and dequantization ({@link Checkpoint}: every weight touched at its first and last element), and
 * the tokenizer built from the metadata, encoding and decoding a short text. Seeds: two small valid files written
 * by llama.cpp's Python writer ({@code scripts/gen-gguf-references.py --only fuzz}).
 */
class GgufFuzzTest {
    @DictionaryEntries({
            "GGUF", "general.architecture", "general.alignment", "llama", "qwen2", "qwen3", "mistral", ".block_count",
            ".embedding_length", ".feed_forward_length", ".attention.head_count", ".attention.head_count_kv",
            ".attention.key_length", ".rope.freq_base", ".rope.scaling.type", "linear", "rope_freqs.weight",
            "tokenizer.ggml.model", "gpt2", "tokenizer.ggml.pre", "smollm", "llama-bpe", "qwen2", "tokenizer.ggml.tokens",
            "tokenizer.ggml.merges", "tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.chat_template",
            "token_embd.weight", "output.weight", "blk.0.attn_q.weight", "blk.0.attn_q.bias", "blk.0.attn_q_norm.weight",
            "\u0000\u0000\u0000\u0000", "\u00ff\u00ff\u00ff\u00ff", "\u0020\u0000\u0000\u0000"})
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, "model.gguf", () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        Path file = ReaderProperty.file("model.gguf", data);
        try (GgufFile f = GgufFile.open(file)) {
            f.metadata().keys().forEach(k -> f.metadata().raw(k));
            for (GgufTensor t : f.tensors().values()) {
                if (t.data().byteSize() > 0) {
                    t.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
                    t.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, t.data().byteSize() - 1);
                }
            }
        }
        if (ModelTokenizer.presentIn(file)) {
            try {
                ModelTokenizer tok = ModelTokenizer.load(file);
                tok.decode(tok.encode("Hello 12 world\n", true), false);
            } catch (dev.srr.SrrException e) {
                // a tokenizer the metadata cannot describe: the checkpoint is still read below
            }
        }
        try (Checkpoint ck = Checkpoint.open(file)) {
            for (Tensor t : ck.weights().all().values()) {
                t.get(0);
                t.get(t.size() - 1);
            }
        }
    }
}
