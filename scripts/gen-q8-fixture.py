#!/usr/bin/env python3
"""Reference for srr's Q8_0 quantizer (-Dsrr.quantize=q8_0): a small matrix and gguf.quants.quantize's Q8_0 blocks
for it, written under src/test/resources/quant/ so the Java test needs no Python. Run once:

    /work/pyref/bin/python scripts/gen-q8-fixture.py      (any venv with numpy and gguf)

q8_0-input.f32   [6, 128] float32, little-endian. Every value is exactly a bfloat16 (so the same matrix read as
                 BF16 must give the same blocks), random Gaussians at several scales, plus blocks that test the
                 rules: all zeros (d = 0), max |x| = 127 with halves (round half away from zero), one huge value.
q8_0-expected.bin the 6 * 4 Q8_0 blocks (f16 d, 32 int8) gguf.quants.quantize writes for it.
"""
import pathlib

import numpy as np
from gguf import GGMLQuantizationType
from gguf.quants import quantize

rows, cols = 6, 128
rng = np.random.default_rng(20250611)
x = (rng.standard_normal((rows, cols)) * rng.choice([1e-3, 0.05, 1.0, 30.0], size=(rows, 1))).astype(np.float32)
x[1, 32:64] = 0.0
x[2, 0:32] = np.array([127.0, -126.5, 0.5, -0.5, 1.5, -2.5, 3.5, 100.5] + [k + 0.5 for k in range(-12, 12)], dtype=np.float32)
x[3, 96:128] *= 1e-3
x[3, 100] = 3.0e4
# round to bfloat16 (nearest even) so the BF16 view holds the same values
bits = x.view(np.uint32)
bits = ((bits.astype(np.uint64) + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint32) << 16
x = bits.view(np.float32)

out = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/quant"
out.mkdir(parents=True, exist_ok=True)
x.astype("<f4").tofile(out / "q8_0-input.f32")
q = quantize(x, GGMLQuantizationType.Q8_0)
assert q.dtype == np.uint8 and q.shape == (rows, cols // 32 * 34), q.shape
q.tofile(out / "q8_0-expected.bin")
print("wrote", out / "q8_0-input.f32", out / "q8_0-expected.bin")
