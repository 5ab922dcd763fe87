#!/usr/bin/env python3
"""Writes a Hugging Face qwen2/qwen3/llama checkpoint folder (safetensors, F32/F16/BF16) as a GGUF file that llama.cpp
and srr both load, keeping the stored dtype. For benchmarks only (scripts/bench-vs-llamacpp --like): it exists so that
a checkpoint synthesized by `srr synth` can be measured by llama-bench on the very file srr reads.

  python3 scripts/gguf-from-checkpoint.py CHECKPOINT_DIR OUT.gguf

Needs numpy and gguf (PyPI). The vocabulary comes from the folder's tokenizer.json (a byte-level BPE: tokens by id,
merges, added tokens as control tokens), padded with [PAD<i>] entries up to the embedding's rows as llama.cpp's own
converter does. GGUF key names and tensor names follow llama.cpp's gguf-py constants; the llama architecture's q/k
rows are permuted into llama.cpp's rotary layout, as its converter does (srr undoes that permutation on load).
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import gguf

DTYPES = {"F32": (np.float32, gguf.GGMLQuantizationType.F32), "F16": (np.float16, gguf.GGMLQuantizationType.F16),
          "BF16": (np.uint16, gguf.GGMLQuantizationType.BF16)}
LAYER = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
         "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
         "mlp.down_proj": "ffn_down", "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
         "self_attn.q_norm": "attn_q_norm", "self_attn.k_norm": "attn_k_norm"}


def fail(message):
    print(f"gguf-from-checkpoint: error: {message}", file=sys.stderr)
    sys.exit(1)


def read_safetensors(path):
    """(name, numpy array in the stored dtype, BF16 as uint16) for every tensor of one safetensors file."""
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            fail(f"{path}: tensor {name} has dtype {info['dtype']} (F32, F16 or BF16 only)")
        start, end = info["data_offsets"]
        array = np.frombuffer(data, dtype=DTYPES[info["dtype"]][0], count=(end - start) // np.dtype(DTYPES[info["dtype"]][0]).itemsize,
                              offset=8 + n + start)
        yield name, info["dtype"], array.reshape(info["shape"])


def gguf_name(name):
    if name == "model.embed_tokens.weight":
        return "token_embd.weight"
    if name == "model.norm.weight":
        return "output_norm.weight"
    if name == "lm_head.weight":
        return "output.weight"
    parts = name.split(".")
    if parts[:2] == ["model", "layers"]:
        layer, rest, kind = parts[2], ".".join(parts[3:-1]), parts[-1]
        if rest in LAYER:
            return f"blk.{layer}.{LAYER[rest]}.{kind}"
    fail(f"tensor {name} has no GGUF name here")


def permute_rows(w, heads):
    """Hugging Face rotate-half row order to llama.cpp's interleaved pairs, per head (its LlamaModel.permute)."""
    rows = w.shape[0]
    return w.reshape(heads, 2, rows // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def main():
    if len(sys.argv) != 3:
        fail("usage: gguf-from-checkpoint.py CHECKPOINT_DIR OUT.gguf")
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    config = json.loads((folder / "config.json").read_text())
    arch = config.get("model_type")
    if arch not in ("qwen2", "qwen3", "llama"):
        fail(f"{folder}/config.json: model_type {arch!r} (qwen2, qwen3 or llama here)")
    tokenizer = json.loads((folder / "tokenizer.json").read_text()) if (folder / "tokenizer.json").exists() else None
    if tokenizer is None or tokenizer["model"]["type"] != "BPE":
        fail(f"{folder}: needs a byte-level BPE tokenizer.json (srr synth --tokenizer DIR copies one in)")

    writer = gguf.GGUFWriter(str(out) + ".tmp", arch)
    heads, kv_heads = config["num_attention_heads"], config.get("num_key_value_heads", config["num_attention_heads"])
    hidden = config["hidden_size"]
    head_dim = config.get("head_dim") or hidden // heads
    writer.add_name(folder.name)
    writer.add_context_length(config.get("max_position_embeddings", 4096))
    writer.add_embedding_length(hidden)
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_key_length(head_dim)
    writer.add_value_length(head_dim)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(float(config.get("rope_theta", 10000.0)))
    writer.add_layer_norm_rms_eps(float(config.get("rms_norm_eps", 1e-6)))

    files = sorted(folder.glob("*.safetensors"))
    if not files:
        fail(f"{folder}: no .safetensors files")
    tensors = [t for f in files for t in read_safetensors(f)]
    rows = next(a.shape[0] for n, _, a in tensors if n == "model.embed_tokens.weight")

    vocab = {token: i for token, i in tokenizer["model"]["vocab"].items()}
    for added in tokenizer.get("added_tokens", []):
        vocab[added["content"]] = added["id"]
    special = {a["id"] for a in tokenizer.get("added_tokens", []) if a.get("special")}
    if max(vocab.values()) >= rows:
        fail(f"{folder}: tokenizer ids reach {max(vocab.values())} but the embedding has {rows} rows")
    by_id = {i: t for t, i in vocab.items()}
    tokens, types = [], []
    for i in range(rows):
        if i in by_id:
            tokens.append(by_id[i])
            types.append(gguf.TokenType.CONTROL if i in special else gguf.TokenType.NORMAL)
        else:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
    merges = [m if isinstance(m, str) else " ".join(m) for m in tokenizer["model"].get("merges", [])]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2" if arch.startswith("qwen") else "llama-bpe")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)

    dominant = {}
    for name, dtype, array in tensors:
        target = gguf_name(name)
        if arch == "llama" and target.endswith(("attn_q.weight", "attn_k.weight")):
            array = permute_rows(array, heads if "attn_q" in target else kv_heads)
        if array.ndim == 1 and dtype != "F32":
            # norms as float32, as llama.cpp's converter writes them
            array = array.astype(np.float32) if dtype == "F16" else (array.astype(np.uint32) << 16).view(np.float32)
            dtype = "F32"
        np_type, ggml_type = DTYPES[dtype]
        dominant[dtype] = dominant.get(dtype, 0) + array.size
        writer.add_tensor(target, np.ascontiguousarray(array), raw_shape=array.shape, raw_dtype=ggml_type)
    main_type = max(dominant, key=dominant.get)
    writer.add_file_type({"F32": gguf.LlamaFileType.ALL_F32, "F16": gguf.LlamaFileType.MOSTLY_F16,
                          "BF16": gguf.LlamaFileType.MOSTLY_BF16}[main_type])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    Path(str(out) + ".tmp").replace(out)


if __name__ == "__main__":
    main()
