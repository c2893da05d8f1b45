#!/usr/bin/env python3
"""The synthetic decode of `joulebench bench synthetic` in PyTorch eager, for the side-by-side
comparison on one GPU (scripts/gpu-validate.sh): the same shapes and the same block
(RMSNorm, fused QKV, grouped-query attention over a KV cache, SwiGLU MLP, logits, greedy
argmax), random 16-bit weights, prefill then decode steps.

Run it under `joulebench run -- python3 bench/python/pytorch_decode.py ...`: it writes
`begin decode` / `tokens N` / `end decode` to $JOULEBENCH_CONTROL, so joulebench measures the
decode window exactly as it measures its own. Prints JSON: tokens, decode_s, tokens_per_s.

  pytorch_decode.py --model 8B --batch 1 --prompt-tokens 2048 --output-tokens 256 --precision bf16
  pytorch_decode.py --copy-bandwidth     # device-to-device copy GB/s (the roofline's bandwidth)

A fair baseline: the precisions joulebench runs (fp16, bf16), and grouped-query attention by
scaled_dot_product_attention(..., enable_gqa=True) reading each KV head for its query heads
in place (no copy of the cache per query head, layer and step; PyTorch 2.5 or newer).
torch is imported only to run, so the module loads without it (tests/python).
"""
import argparse
import json
import math
import os
import sys
import time

torch = None  # imported by main(): the module and its argument parsing load without torch
F = None

PRESETS = {  # layers, hidden, heads, kv_heads, ffn, vocab (model_shape.cpp)
    "1B": (16, 2048, 32, 8, 8192, 128256),
    "8B": (32, 4096, 32, 8, 14336, 128256),
    "40B": (44, 8192, 64, 8, 28672, 128256),
}


class Control:
    """$JOULEBENCH_CONTROL lines, or nothing when run outside joulebench."""

    def __init__(self):
        path = os.environ.get("JOULEBENCH_CONTROL")
        self.out = open(path, "w", buffering=1) if path else None

    def say(self, line):
        if self.out:
            self.out.write(line + "\n")
            self.out.flush()


def uniform(shape, half_width, dtype, offset=0.0):
    return ((torch.rand(shape, device="cuda", dtype=torch.float32) * 2 - 1) * half_width + offset).to(dtype)


class Model:
    def __init__(self, layers, hidden, heads, kv_heads, ffn, vocab, dtype):
        self.hidden, self.heads, self.kv_heads, self.head_dim = hidden, heads, kv_heads, hidden // heads
        kv_width = kv_heads * self.head_dim
        matrix = lambda rows, fan_in: uniform((rows, fan_in), math.sqrt(3.0 / fan_in), dtype)
        self.embedding = uniform((vocab, hidden), 1.0, dtype)
        self.layers = [dict(attn_norm=uniform((hidden,), 0.1, dtype, 1.0), wqkv=matrix(hidden + 2 * kv_width, hidden),
                            wo=matrix(hidden, hidden), mlp_norm=uniform((hidden,), 0.1, dtype, 1.0),
                            w_gate_up=matrix(2 * ffn, hidden), w_down=matrix(hidden, ffn)) for _ in range(layers)]
        self.final_norm = uniform((hidden,), 0.1, dtype, 1.0)
        self.logits = matrix(vocab, hidden)
        self.ffn, self.kv_width = ffn, kv_width

    @staticmethod
    def rms_norm(x, weight):
        x32 = x.float()
        return (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + 1e-5)).to(x.dtype) * weight

    def forward(self, tokens, caches, start):
        """tokens: batch x length, at positions start..start+length-1; returns last logits."""
        batch, length = tokens.shape
        x = self.embedding[tokens]
        for layer, (keys, values) in zip(self.layers, caches):
            qkv = self.rms_norm(x, layer["attn_norm"]) @ layer["wqkv"].t()
            q, k, v = qkv.split([self.hidden, self.kv_width, self.kv_width], dim=-1)
            keys[:, start:start + length] = k.view(batch, length, self.kv_heads, self.head_dim)
            values[:, start:start + length] = v.view(batch, length, self.kv_heads, self.head_dim)
            end = start + length
            q = q.view(batch, length, self.heads, self.head_dim).transpose(1, 2)
            # Causal over the cache: query i (position start + i) sees positions <= start + i.
            mask = None
            if length > 1:
                mask = torch.ones(length, end, device="cuda", dtype=torch.bool).tril(diagonal=start)
            attention = attend(F.scaled_dot_product_attention, q, keys[:, :end].transpose(1, 2),
                               values[:, :end].transpose(1, 2), mask)
            x = x + attention.transpose(1, 2).reshape(batch, length, self.hidden) @ layer["wo"].t()
            gate, up = (self.rms_norm(x, layer["mlp_norm"]) @ layer["w_gate_up"].t()).split(self.ffn, dim=-1)
            x = x + (F.silu(gate) * up) @ layer["w_down"].t()
        last = self.rms_norm(x[:, -1], self.final_norm)
        return last @ self.logits.t()


def attend(sdpa, q, keys, values, mask):
    """Grouped-query attention: q is batch x heads x length x head_dim, keys and values batch x
    kv_heads x positions x head_dim; SDPA maps each query head to its KV head itself."""
    return sdpa(q, keys, values, attn_mask=mask, enable_gqa=True)


def copy_bandwidth_gb_s(gib=4, repeats=20):
    source = torch.empty(gib << 30, dtype=torch.uint8, device="cuda")
    target = torch.empty_like(source)
    target.copy_(source)
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        target.copy_(source)
    torch.cuda.synchronize()
    # A copy reads and writes every byte.
    return 2 * source.numel() * repeats / (time.perf_counter() - start) / 1e9


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="8B", choices=sorted(PRESETS))
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--prompt-tokens", type=int, default=2048)
    parser.add_argument("--output-tokens", type=int, default=256)
    parser.add_argument("--precision", default="bf16", choices=["fp16", "bf16"])
    parser.add_argument("--copy-bandwidth", action="store_true", help="only measure device-to-device copy GB/s")
    return parser.parse_args(argv)


def main(argv):
    global torch, F
    args = parse_args(argv)
    import torch as torch_module
    import torch.nn.functional as functional
    torch, F = torch_module, functional
    if args.copy_bandwidth:
        print(json.dumps({"copy_bandwidth_gb_s": copy_bandwidth_gb_s(), "device": torch.cuda.get_device_name()}))
        return 0
    torch.manual_seed(1)
    dtype = torch.float16 if args.precision == "fp16" else torch.bfloat16
    layers, hidden, heads, kv_heads, ffn, vocab = PRESETS[args.model]
    model = Model(layers, hidden, heads, kv_heads, ffn, vocab, dtype)
    positions = args.prompt_tokens + args.output_tokens
    caches = [(torch.empty(args.batch, positions, kv_heads, hidden // heads, device="cuda", dtype=dtype),
               torch.empty(args.batch, positions, kv_heads, hidden // heads, device="cuda", dtype=dtype))
              for _ in range(layers)]
    prompt = torch.randint(0, vocab, (args.batch, args.prompt_tokens), device="cuda")
    control = Control()
    with torch.inference_mode():
        logits = model.forward(prompt, caches, 0)
        torch.cuda.synchronize()
        control.say("begin decode")
        start = time.perf_counter()
        for step in range(args.output_tokens):
            tokens = logits.argmax(-1, keepdim=True)
            logits = model.forward(tokens, caches, args.prompt_tokens + step)
        torch.cuda.synchronize()
        decode_s = time.perf_counter() - start
        tokens_out = args.batch * args.output_tokens
        control.say(f"tokens {tokens_out}")
        control.say("end decode")
    print(json.dumps({"tool": "pytorch eager", "model": args.model, "batch": args.batch, "precision": args.precision,
                      "tokens": tokens_out, "decode_s": decode_s, "tokens_per_s": tokens_out / decode_s,
                      "torch": torch.__version__, "device": torch.cuda.get_device_name()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
