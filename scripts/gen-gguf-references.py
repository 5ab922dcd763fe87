#!/usr/bin/env python3
"""Reference data for srr's GGUF support, from independent implementations. Run once; the outputs are committed
under src/test/resources/gguf/ so the Java tests need no Python.

    python3 -m venv /tmp/ref && /tmp/ref/bin/pip install gguf numpy jinja2 transformers tokenizers llama-cpp-python
    scripts/fetch-model && /tmp/ref/bin/python scripts/gen-gguf-references.py [--shared ../shared]

What it writes, and the reference behind each:
  tiny-*.gguf          the four golden Hugging Face checkpoints (../shared/golden) written as GGUF files the way
                       llama.cpp's converter writes them (tensor names, metadata keys, q/k rows permuted for the
                       llama architecture, llama3 RoPE as rope_freqs); their expected outputs are the golden
                       transformers outputs themselves. Variants: GGUF v2, 64-byte alignment, and a Q8_0/Q4_0/Q4_1/
                       Q5_0/Q5_1-quantized llama (gguf.quants.quantize) whose hidden states come from the float64
                       numpy forward below.
  blocks.gguf          random blocks of every supported quantized type plus their float32 values from
                       gguf.quants.dequantize, and one metadata key of every GGUF value type (values in
                       blocks-metadata.json, as gguf.GGUFReader reads them).
  tokenizer-llama-spm.gguf / .jsonl.gz
                       a SentencePiece-style ("llama") vocabulary with scores and no merges, and the ids that
                       transformers' GGUF tokenizer loading gives for the golden tokenizer cases and more strings.
  ../dev/srr/fuzz/GgufFuzzTestInputs/fuzz/gguf-*
                       two small valid GGUF files (llama with a byte-level tokenizer and Q8_0/Q4_0 tensors; qwen2 in
                       F16 with biases and a SentencePiece-style vocabulary) as seeds for the GGUF fuzz target.
  smollm2-dequant.json SHA-256 of every SmolLM2 tensor dequantized by gguf.quants.dequantize (float32, little-endian).
  smollm2-tokens.jsonl.gz strings -> ids from Hugging Face tokenizers built from the GGUF the way transformers does
                       (and with SmolLM's own digit-splitting pre-tokenizer) and from llama.cpp (llama-cpp-python).
  smollm2-chat.json    the chat template rendered by Jinja2 with transformers' settings.
  smollm2-llamacpp.safetensors / .json
                       llama.cpp's logits for several prompts (top-5 per position, all logits at the last position)
                       and its greedy continuations, on the Q4_1 file (ggml quantizes activations to 8 bits there)
                       and on the same values expanded to F32 with a float32 KV cache (float32 products, comparable with srr).
  smollm2-hidden.safetensors
                       every hidden state (transformers' numbering; the last 4 positions) from a float64 numpy forward over gguf's
                       dequantized weights, computed in llama.cpp's own layout (interleaved RoPE, q/k rows as stored),
                       so srr's un-permutation is checked by an implementation that never un-permutes.
"""
import argparse
import gzip
import hashlib
import json
import math
import os
import random
import struct
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q
from gguf.quants import dequantize, quantize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "gguf")
SMOLLM2 = os.path.join(ROOT, "weights", "SmolLM2-135M-Instruct.Q4_1.gguf")


# ---------------------------------------------------------------------------------------------------- safetensors
def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        raw = np.frombuffer(data[b:e], dtype=np.uint8)
        if info["dtype"] == "BF16":
            arr = (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            arr = raw.view({"F32": np.float32, "F16": np.float16}[info["dtype"]])
        out[name] = (arr.reshape(info["shape"]), info["dtype"])
    return out


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, arr in tensors.items():
        b = np.ascontiguousarray(arr, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


# ------------------------------------------------------------------------------------ HF checkpoint -> GGUF file
def permute(w, n_head):
    """llama.cpp's converter: rows of each head reordered so rotary pairs are adjacent."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def llama3_rope_factors(cfg, rope):
    dim = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    base = rope["rope_theta"]
    freqs = 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.float32) / dim))
    factor, low, high = rope["factor"], rope["low_freq_factor"], rope["high_freq_factor"]
    old = rope["original_max_position_embeddings"]
    out = []
    for f in freqs:
        wavelen = 2 * math.pi / f
        if wavelen < old / high:
            out.append(1.0)
        elif wavelen > old / low:
            out.append(factor)
        else:
            smooth = (old / wavelen - low) / (high - low)
            out.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(out, dtype=np.float32)


HF_TO_GGUF = {
    "input_layernorm.weight": "attn_norm.weight", "post_attention_layernorm.weight": "ffn_norm.weight",
    "self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
    "self_attn.v_proj.weight": "attn_v.weight", "self_attn.o_proj.weight": "attn_output.weight",
    "self_attn.q_proj.bias": "attn_q.bias", "self_attn.k_proj.bias": "attn_k.bias", "self_attn.v_proj.bias": "attn_v.bias",
    "self_attn.q_norm.weight": "attn_q_norm.weight", "self_attn.k_norm.weight": "attn_k_norm.weight",
    "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight", "mlp.down_proj.weight": "ffn_down.weight",
}


def hf_to_gguf(folder, out, version=3, alignment=None, quant=None):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    tensors = load_safetensors(os.path.join(folder, "model.safetensors"))
    mt = cfg["model_type"]
    arch = "llama" if mt == "mistral" else mt  # llama.cpp converts Mistral checkpoints to its llama architecture
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    head_dim = cfg.get("head_dim") or cfg["hidden_size"] // heads
    rope = cfg.get("rope_parameters") or {"rope_theta": cfg.get("rope_theta", 10000.0), "rope_type": "default"}
    w = gguf.GGUFWriter(out, arch)
    if alignment:
        w.add_custom_alignment(alignment)
    w.add_name(os.path.basename(os.path.dirname(folder)))
    w.add_context_length(cfg["max_position_embeddings"])
    w.add_embedding_length(cfg["hidden_size"])
    w.add_block_count(cfg["num_hidden_layers"])
    w.add_feed_forward_length(cfg["intermediate_size"])
    w.add_head_count(heads)
    w.add_head_count_kv(kv)
    w.add_key_length(head_dim)
    w.add_value_length(head_dim)
    w.add_rope_dimension_count(head_dim)
    w.add_rope_freq_base(rope["rope_theta"])
    w.add_layer_norm_rms_eps(cfg["rms_norm_eps"])
    w.add_vocab_size(cfg["vocab_size"])
    if rope.get("rope_type") == "llama3":
        w.add_tensor("rope_freqs.weight", llama3_rope_factors(cfg, rope))
    for name, (arr, dtype) in tensors.items():
        if name == "model.embed_tokens.weight":
            g = "token_embd.weight"
        elif name == "model.norm.weight":
            g = "output_norm.weight"
        elif name == "lm_head.weight":
            g = "output.weight"
        else:
            parts = name.split(".")
            g = f"blk.{parts[2]}." + HF_TO_GGUF[".".join(parts[3:])]
        if arch == "llama" and (name.endswith("q_proj.weight") or name.endswith("q_proj.bias")):
            arr = permute(arr, heads)
        if arch == "llama" and (name.endswith("k_proj.weight") or name.endswith("k_proj.bias")):
            arr = permute(arr, kv)
        if quant and arr.ndim == 2:
            qtype = quant[len(w.tensors[-1]) % len(quant)] if g != "token_embd.weight" else Q.Q8_0
            w.add_tensor(g, quantize(arr.astype(np.float32), qtype), raw_dtype=qtype)
        elif arr.ndim == 1 or dtype == "F32":
            w.add_tensor(g, arr.astype(np.float32))
        elif dtype == "F16":
            w.add_tensor(g, arr.astype(np.float16))
        else:  # BF16: keep the exact bits
            bits = (arr.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
            w.add_tensor(g, bits.view(np.uint8).reshape(arr.shape[0], -1), raw_dtype=Q.BF16)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    if version != 3:
        with open(out, "r+b") as f:
            f.seek(4)
            f.write(struct.pack("<I", version))


# --------------------------------------------------------------------------- float64 forward in llama.cpp's layout
def gguf_weights(path):
    r = gguf.GGUFReader(path)
    md = {k: f.contents() for k, f in r.fields.items() if not k.startswith("tokenizer.ggml.")}
    w = {t.name: dequantize(t.data, t.tensor_type).astype(np.float64).reshape([int(x) for x in reversed(t.shape)]) for t in r.tensors}
    return md, w


def forward64(md, w, ids):
    """Hidden states (index 0 = embeddings, i = output of layer i-1, last = after the final norm) and logits.
    Attention uses llama.cpp's rotary convention on the stored rows: for the llama architecture adjacent pairs
    (2i, 2i+1) rotate together, for qwen2/qwen3 the two halves (the rows were never permuted)."""
    arch = md["general.architecture"]
    p = arch + "."
    L, heads = md[p + "block_count"], md[p + "attention.head_count"]
    kv = md.get(p + "attention.head_count_kv", heads)
    eps = float(md[p + "attention.layer_norm_rms_epsilon"])
    theta = float(md.get(p + "rope.freq_base", 10000.0))
    hd = md.get(p + "attention.key_length", md[p + "embedding_length"] // heads)
    inv = 1.0 / theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd)
    if "rope_freqs.weight" in w:
        inv = inv / w["rope_freqs.weight"]
    T = len(ids)
    ang = np.arange(T, dtype=np.float64)[:, None] * inv[None, :]
    cos, sin = np.cos(ang), np.sin(ang)

    def rms(x, g):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * g

    def rope(x):  # x: [T, n, hd]
        if arch == "llama":
            a, b = x[..., 0::2], x[..., 1::2]
            out = np.empty_like(x)
            out[..., 0::2] = a * cos[:, None, :] - b * sin[:, None, :]
            out[..., 1::2] = a * sin[:, None, :] + b * cos[:, None, :]
            return out
        a, b = x[..., : hd // 2], x[..., hd // 2:]
        return np.concatenate([a * cos[:, None, :] - b * sin[:, None, :], b * cos[:, None, :] + a * sin[:, None, :]], axis=-1)

    x = w["token_embd.weight"][ids]
    states = [x.copy()]
    mask = np.triu(np.full((T, T), -np.inf), 1)
    for i in range(L):
        b = f"blk.{i}."
        h = rms(x, w[b + "attn_norm.weight"])
        q = h @ w[b + "attn_q.weight"].T + w.get(b + "attn_q.bias", 0)
        k = h @ w[b + "attn_k.weight"].T + w.get(b + "attn_k.bias", 0)
        v = h @ w[b + "attn_v.weight"].T + w.get(b + "attn_v.bias", 0)
        q, k, v = q.reshape(T, heads, hd), k.reshape(T, kv, hd), v.reshape(T, kv, hd)
        if b + "attn_q_norm.weight" in w:
            q, k = rms(q, w[b + "attn_q_norm.weight"]), rms(k, w[b + "attn_k_norm.weight"])
        q, k = rope(q), rope(k)
        rep = heads // kv
        k, v = np.repeat(k, rep, axis=1), np.repeat(v, rep, axis=1)
        s = np.einsum("thd,shd->hts", q, k) / math.sqrt(hd) + mask
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = np.einsum("hts,shd->thd", s, v).reshape(T, heads * hd)
        x = x + a @ w[b + "attn_output.weight"].T
        h = rms(x, w[b + "ffn_norm.weight"])
        g = h @ w[b + "ffn_gate.weight"].T
        x = x + ((g / (1 + np.exp(-g))) * (h @ w[b + "ffn_up.weight"].T)) @ w[b + "ffn_down.weight"].T
        states.append(x.copy())
    normed = rms(x, w["output_norm.weight"])
    states[-1] = normed
    logits = normed @ w.get("output.weight", w["token_embd.weight"]).T
    return states, logits


# ------------------------------------------------------------------------------------------------ blocks.gguf
HALF_FIELDS = {Q.Q4_0: [0], Q.Q4_1: [0, 2], Q.Q5_0: [0], Q.Q5_1: [0, 2], Q.Q8_0: [0], Q.Q2_K: [80, 82],
               Q.Q3_K: [108], Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208]}


def write_blocks(path, meta_path):
    rng = np.random.default_rng(20261129)
    w = gguf.GGUFWriter(path, "llama")
    md = {
        "test.u8": ("add_uint8", 200), "test.i8": ("add_int8", -100), "test.u16": ("add_uint16", 60000),
        "test.i16": ("add_int16", -30000), "test.u32": ("add_uint32", 4000000000), "test.i32": ("add_int32", -2000000000),
        "test.u64": ("add_uint64", 2 ** 62 + 5), "test.i64": ("add_int64", -(2 ** 62)), "test.f32": ("add_float32", 0.1),
        "test.f64": ("add_float64", 0.1), "test.bool": ("add_bool", True), "test.string": ("add_string", "héllo ✓ 世界"),
        "test.array_i32": ("add_array", [1, -2, 3]), "test.array_str": ("add_array", ["a", "", "ü"]),
        "test.array_f32": ("add_array", [0.5, -1.25]), "test.array_nested": ("add_array", [[1, 2], [3]]),
    }
    for k, (fn, v) in md.items():
        getattr(w, fn)(k, v)
    for qtype, fields in HALF_FIELDS.items():
        bs, tb = gguf.GGML_QUANT_SIZES[qtype]
        n = 24
        raw = rng.integers(0, 256, size=(n, tb), dtype=np.uint8)
        for f in fields:  # finite scales of every magnitude, including zero and subnormals
            halves = rng.standard_normal(n).astype(np.float32) * np.float32(10.0) ** rng.integers(-7, 3, n)
            halves[0], halves[1] = 0.0, 3e-6
            raw[:, f:f + 2] = halves.astype(np.float16).view(np.uint8).reshape(n, 2)
        w.add_tensor(f"{qtype.name}.blocks", raw.reshape(1, -1), raw_dtype=qtype)
        w.add_tensor(f"{qtype.name}.values", dequantize(raw.reshape(-1), qtype).astype(np.float32).reshape(1, -1))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    r = gguf.GGUFReader(path)
    expected = {}
    for k in md:
        c = r.fields[k].contents()
        expected[k] = c
    json.dump(expected, open(meta_path, "w"), indent=1, ensure_ascii=False)


# --------------------------------------------------------------------------------------------------- SmolLM2
def smollm2_strings(shared):
    rng = random.Random(7)
    out = []
    for source in ("xstest", "jailbreakbench", "harmbench_classifier_val", "advbench"):
        path = os.path.join(shared, "data", source, "lists.jsonl")
        if not os.path.exists(path):
            continue
        for i, line in enumerate(open(path, encoding="utf-8")):
            row = json.loads(line)
            if isinstance(row.get("prompt"), str):
                out.append(row["prompt"][:400])
            for c in row.get("candidates", [])[:2]:
                if isinstance(c.get("text"), str):
                    out.append(c["text"][:400])
            if len(out) > 1500:
                break
    edge = ["", " ", "  ", "\n", "\n\n\n", "\t", " \t\n x", "a  b", "a\u00a0b", "12345", "3.14159", "1,000,000",
            "2026-11-29", "0x1F", "v1.2.3-rc4", "don't I'll WE'RE they've", "Hello, world!", "  leading", "trailing  ",
            "<|im_start|>user\nhi<|im_end|>\n", "<|im_start|><|im_end|>", "<|endoftext|>", "<|im_", "< |im_start| >",
            "<repo_name>srr<file_sep>", "def f(x):\n    return x**2  # square\n", "SELECT * FROM t WHERE a >= 10;",
            "e\u0301 vs \u00e9", "\U0001F44D\U0001F3FD \U0001F916", "\u4f60\u597d\uff0c\u4e16\u754c", "\u0645\u0631\u062d\u0628\u0627",
            "\u0928\u092e\u0938\u094d\u0924\u0947", "\uc548\ub155\ud558\uc138\uc694", "\u00df\u1e9e \u0130\u0131", "\u200b\u200d",
            "$$x^2$$", "~!@#$%^&*()_+{}|:\"<>?", "...", "--", "''", "http://example.com/a?b=c&d=e", "A" * 300]
    out += edge
    alphabet = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + list(" \n\t.,;:!?'\"-_()[]{}<>/\\|@#$%^&*+=~`")
                + list("\u00e9\u00fc\u00f1\u00e7\u4e2d\u6587\u65e5\u672c\u0440\u0443\u0441\u0639\u0631\u0628\u03b1\u03b2\u05e9") + ["\U0001F600", "\u0301", "<|im_start|>", "<|im_end|>", "  ", "123"])
    while len(out) < 2200:
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))))
    return out


def hf_tokenizer_from_gguf(path, smollm_digits):
    from transformers.integrations.gguf.gguf_tokenizer_mapping import GGUF_TOKENIZER_MAPPING, convert_gguf_tokenizer
    from tokenizers import pre_tokenizers
    r = gguf.GGUFReader(path)
    md = {k: f.contents() for k, f in r.fields.items()}
    tok = {name: md[f"tokenizer.{key}"] for key, name in GGUF_TOKENIZER_MAPPING["tokenizer"].items() if f"tokenizer.{key}" in md}
    backend, _ = convert_gguf_tokenizer(md["general.architecture"], tok)
    if smollm_digits:
        backend.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                                         pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    return backend, md


def smollm2(shared):
    # dequantization of every tensor
    r = gguf.GGUFReader(SMOLLM2)
    hashes = {t.name: hashlib.sha256(dequantize(t.data, t.tensor_type).astype("<f4").tobytes()).hexdigest() for t in r.tensors}
    json.dump({"source": "gguf.quants.dequantize, float32 little-endian, GGUF row order", "sha256": hashes},
              open(os.path.join(OUT, "smollm2-dequant.json"), "w"), indent=1)

    # tokenization
    from llama_cpp import Llama
    llm = Llama(SMOLLM2, n_ctx=2048, vocab_only=True, verbose=False)
    hf_plain, md = hf_tokenizer_from_gguf(SMOLLM2, False)
    hf_digits, _ = hf_tokenizer_from_gguf(SMOLLM2, True)
    with gzip.open(os.path.join(OUT, "smollm2-tokens.jsonl.gz"), "wt", encoding="utf-8") as f:
        for s in smollm2_strings(shared):
            try:
                lc = llm.tokenize(s.encode("utf-8"), add_bos=False, special=True)
            except Exception:
                lc = None
            f.write(json.dumps({"text": s, "hf": hf_digits.encode(s, add_special_tokens=False).ids,
                                "hf_transformers": hf_plain.encode(s, add_special_tokens=False).ids, "llama_cpp": lc},
                               ensure_ascii=False) + "\n")

    # chat template, rendered as transformers' apply_chat_template does
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = lambda x, indent=None, separators=None, sort_keys=False: json.dumps(
        x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)
    template = env.from_string(md["tokenizer.chat_template"])
    conversations = [
        [{"role": "user", "content": "What is the capital of France?"}],
        [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi"},
         {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "How do I pick a lock?"}],
        [{"role": "user", "content": ""}],
        [{"role": "user", "content": "\u00bfQu\u00e9 tal? \U0001F600  \n  spaces"}],
    ]
    chat = []
    for conv in conversations:
        for gen in (False, True):
            text = template.render(messages=conv, add_generation_prompt=gen, bos_token="<|im_start|>", eos_token="<|im_end|>")
            chat.append({"messages": conv, "add_generation_prompt": gen, "text": text,
                         "ids": hf_digits.encode(text, add_special_tokens=False).ids})
    json.dump(chat, open(os.path.join(OUT, "smollm2-chat.json"), "w"), indent=1, ensure_ascii=False)

    # llama.cpp on the Q4_1 file, and on the same values expanded to F32 (where ggml multiplies in float32
    # instead of quantizing the activations to 8 bits): logits and greedy continuations
    prompts = [chat[1]["text"], chat[3]["text"], chat[5]["text"], "The quick brown fox jumps over the lazy dog. " * 3]
    expanded = os.path.join(os.path.dirname(SMOLLM2), ".smollm2-f32-reference.gguf")
    expand_to_f32(SMOLLM2, expanded)
    tensors, meta = {}, {"llama_cpp_python": __import__("llama_cpp").__version__}
    for tag, path in (("q4_1", SMOLLM2), ("f32", expanded)):
        # the f32 run keeps its KV cache in float32 too (llama.cpp's default is f16)
        cache = {"type_k": 0, "type_v": 0} if tag == "f32" else {}
        llm = Llama(path, n_ctx=2048, logits_all=True, verbose=False, n_threads=2, seed=0, **cache)
        runs = []
        for n, text in enumerate(prompts):
            ids = llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
            llm.reset()
            llm.eval(ids)
            logits = np.array(llm.scores[:len(ids)], dtype=np.float32)
            top = np.argsort(-logits, axis=1, kind="stable")[:, :5]
            tensors[f"{tag}.p{n}.top5_ids"] = top.astype(np.float32)
            tensors[f"{tag}.p{n}.top5_logits"] = np.take_along_axis(logits, top, axis=1)
            tensors[f"{tag}.p{n}.last_logits"] = logits[-1:]
            greedy = []
            for _ in range(40):
                t = int(np.argmax(np.array(llm.scores[llm.n_tokens - 1])))
                greedy.append(t)
                if t == 2:
                    break
                llm.eval([t])
            runs.append({"text": text, "ids": ids, "greedy": greedy,
                         "greedy_text": llm.detokenize(greedy).decode("utf-8", "replace")})
        meta[tag] = runs
        del llm
    os.remove(expanded)
    save_safetensors(os.path.join(OUT, "smollm2-llamacpp.safetensors"), tensors)
    json.dump(meta, open(os.path.join(OUT, "smollm2-llamacpp.json"), "w"), indent=1, ensure_ascii=False)

    # float64 forward: every hidden state at the last 4 positions, and the logits at the last
    mdw, w = gguf_weights(SMOLLM2)
    hidden = {}
    for n in (0, 1):
        ids = meta["f32"][n]["ids"]
        states, logits = forward64(mdw, w, ids)
        for k, st in enumerate(states):
            hidden[f"p{n}.hidden_states.{k}"] = st[-4:]
        hidden[f"p{n}.logits"] = logits[-1:]
        hidden[f"p{n}.ids"] = np.array([ids], dtype=np.float32)
    save_safetensors(os.path.join(OUT, "smollm2-hidden.safetensors"), hidden)


def expand_to_f32(src, dst):
    """The same file with every tensor dequantized to F32 (gguf.quants.dequantize) and all metadata copied."""
    r = gguf.GGUFReader(src)
    w = gguf.GGUFWriter(dst, r.fields["general.architecture"].contents())
    for key, f in r.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        if key == "general.file_type":
            w.add_file_type(0)
            continue
        w.add_key_value(key, f.contents(), f.types[0], f.types[1] if len(f.types) > 1 else None)
    for t in r.tensors:
        w.add_tensor(t.name, dequantize(t.data, t.tensor_type).astype(np.float32).reshape([int(x) for x in reversed(t.shape)]))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def tiny(shared):
    golden = os.path.join(shared, "golden", "models")
    for m in ("llama-tiny-bf16", "qwen2-tiny-f16", "qwen3-tiny-bf16", "mistral-tiny-f32"):
        hf_to_gguf(os.path.join(golden, m, "model"), os.path.join(OUT, f"tiny-{m}.gguf"))
    hf_to_gguf(os.path.join(golden, "qwen2-tiny-f16", "model"), os.path.join(OUT, "tiny-qwen2-tiny-f16.v2-align64.gguf"),
               version=2, alignment=64)
    qpath = os.path.join(OUT, "tiny-llama-quantized.gguf")
    hf_to_gguf(os.path.join(golden, "llama-tiny-bf16", "model"), qpath, quant=[Q.Q8_0, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1])
    md, w = gguf_weights(qpath)
    ref = json.load(open(os.path.join(golden, "llama-tiny-bf16", "reference.json")))
    out = {}
    for seq in ("A", "B"):
        states, logits = forward64(md, w, ref["sequences"][seq]["input_ids"])
        for k, s in enumerate(states):
            out[f"{seq}.hidden_states.{k}"] = s
        out[f"{seq}.logits"] = logits
    save_safetensors(os.path.join(OUT, "tiny-llama-quantized.reference.safetensors"), out)


def spm_tokenizer(shared):
    """A llama-type (SentencePiece-style) GGUF vocabulary without merges, from the Llama 2 / Mistral tokenizer.json
    (scores: minus the token id, so merges follow vocabulary order), and the ids transformers' GGUF loading gives."""
    from transformers.integrations.gguf.gguf_tokenizer_mapping import convert_gguf_tokenizer
    tj = json.load(gzip.open(os.path.join(ROOT, "src", "test", "resources", "tokenizers", "llama2", "tokenizer.json.gz"), "rt"))
    vocab = tj["model"]["vocab"]
    tokens = [None] * len(vocab)
    for t, i in vocab.items():
        tokens[i] = t
    special = {a["content"] for a in tj["added_tokens"] if a.get("special")}
    types = [3 if t in special and t != "<unk>" else 2 if t == "<unk>" else 6 if t.startswith("<0x") else 1 for t in tokens]
    scores = [0.0 if ty != 1 else -float(i) for i, ty in enumerate(types)]
    path = os.path.join(OUT, "tokenizer-llama-spm.gguf")
    w = gguf.GGUFWriter(path, "llama")
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    backend, _ = convert_gguf_tokenizer("llama", {"tokenizer_type": "llama", "tokens": tokens, "scores": scores,
                                                  "token_type": types, "bos_token_id": 1, "eos_token_id": 2, "unk_token_id": 0})
    golden = json.load(open(os.path.join(shared, "golden", "tokenizer-cases", "llama2.json")))
    strings = [c["text"] for c in golden["cases"]] + smollm2_strings(shared)[::4]
    with gzip.open(os.path.join(OUT, "tokenizer-llama-spm.jsonl.gz"), "wt", encoding="utf-8") as f:
        for text in strings:
            enc = backend.encode(text, add_special_tokens=False)
            f.write(json.dumps({"text": text, "ids": enc.ids, "decoded": backend.decode(enc.ids, skip_special_tokens=False)},
                               ensure_ascii=False) + "\n")


def fuzz_seeds():
    """Small valid GGUF files as seeds for the GGUF fuzz target: a 1-layer llama with a byte-level tokenizer and
    Q8_0/Q4_K/Q6_K tensors, and a 1-layer qwen2 in F16 with biases and a SentencePiece-style vocabulary."""
    seeds = os.path.join(ROOT, "src", "test", "resources", "dev", "srr", "fuzz", "GgufFuzzTestInputs", "fuzz")
    os.makedirs(seeds, exist_ok=True)
    rng = np.random.default_rng(5)
    for name, arch, tok, qtypes in (("gguf-llama-bytelevel", "llama", "gpt2", (Q.Q8_0, Q.Q4_0)),
                                    ("gguf-qwen2-sentencepiece", "qwen2", "llama", (Q.F16,))):
        d, ff, heads, kv, vocab = 32, 64, 2, 1, 12
        w = gguf.GGUFWriter(os.path.join(seeds, name), arch)
        w.add_context_length(64)
        w.add_embedding_length(d)
        w.add_block_count(1)
        w.add_feed_forward_length(ff)
        w.add_head_count(heads)
        w.add_head_count_kv(kv)
        w.add_rope_freq_base(10000.0)
        w.add_layer_norm_rms_eps(1e-6)
        w.add_tokenizer_model(tok)
        if tok == "gpt2":
            tokens = ["<s>", "</s>", "a", "b", "c", "\u0120", "ab", "\u0120a", "1", "2", "abc", "\u0120ab"]
            w.add_tokenizer_pre("smollm")
            w.add_token_merges(["a b", "\u0120 a", "ab c", "\u0120a b"])
        else:
            tokens = ["<unk>", "<s>", "</s>", "\u2581", "a", "b", "\u2581a", "ab", "<0x0A>", "c", "\u2581ab", "abc"]
            w.add_token_scores([0.0] + [-float(i) for i in range(1, vocab)])
        w.add_token_list(tokens)
        w.add_token_types([3, 3] + [1] * (vocab - 2) if tok == "gpt2" else [2, 3, 3] + [1] * (vocab - 3))
        w.add_bos_token_id(1 if tok == "llama" else 0)
        w.add_eos_token_id(2 if tok == "llama" else 1)
        w.add_chat_template("{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}")
        shapes = {"token_embd.weight": (vocab, d), "output_norm.weight": (d,), "blk.0.attn_norm.weight": (d,),
                  "blk.0.ffn_norm.weight": (d,), "blk.0.attn_q.weight": (d, d), "blk.0.attn_k.weight": (d // heads, d),
                  "blk.0.attn_v.weight": (d // heads, d), "blk.0.attn_output.weight": (d, d),
                  "blk.0.ffn_gate.weight": (ff, d), "blk.0.ffn_up.weight": (ff, d), "blk.0.ffn_down.weight": (d, ff)}
        if arch == "qwen2":
            shapes.update({"blk.0.attn_q.bias": (d,), "blk.0.attn_k.bias": (d // heads,), "blk.0.attn_v.bias": (d // heads,)})
        for i, (t, shape) in enumerate(shapes.items()):
            x = rng.standard_normal(shape).astype(np.float32)
            q = qtypes[i % len(qtypes)]
            if len(shape) == 1 or q == Q.F32:
                w.add_tensor(t, x)
            elif q == Q.F16:
                w.add_tensor(t, x.astype(np.float16))
            else:
                w.add_tensor(t, quantize(x, q), raw_dtype=q)
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--only", choices=["tiny", "blocks", "smollm2", "spm", "fuzz"])
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if a.only in (None, "blocks"):
        write_blocks(os.path.join(OUT, "blocks.gguf"), os.path.join(OUT, "blocks-metadata.json"))
    if a.only in (None, "tiny"):
        tiny(a.shared)
    if a.only in (None, "fuzz"):
        fuzz_seeds()
    if a.only in (None, "spm"):
        spm_tokenizer(a.shared)
    if a.only in (None, "smollm2"):
        if not os.path.exists(SMOLLM2):
            sys.exit("run scripts/fetch-model first")
        smollm2(a.shared)


if __name__ == "__main__":
    main()
