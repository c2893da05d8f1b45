#!/usr/bin/env python3
"""A Python asyncio + aiohttp streaming client, the comparison for joulebench's own client.

It does what Python load generators for OpenAI-compatible servers do (the approach of
vLLM's benchmark script): one aiohttp session, `concurrency` coroutines in a closed loop,
each POSTing a streaming request, reading the response line by line, dropping the "data: "
prefix, json.loads of every chunk, a perf_counter timestamp per text chunk (for TTFT and
inter-token latency) and the output token count from the final usage chunk.

Prints JSON in the shape of bench/openai_client_throughput: requests, succeeded, failed,
output_tokens, wall_s, cpu_s (time.process_time() of this process), tokens_per_cpu_s.

Usage: openai_aiohttp_client.py --url http://127.0.0.1:PORT --concurrency 64 --requests 1000
"""
import argparse
import asyncio
import json
import sys
import time

import aiohttp
import numpy as np

WORDS = ("energy power token decode prefill batch watt joule model server stream "
         "latency throughput memory cache kernel").split()


def prompt(index, words):
    return " ".join(WORDS[(index * 7 + k) % len(WORDS)] for k in range(words))


class Totals:
    def __init__(self):
        self.requests = 0
        self.succeeded = 0
        self.failed = 0
        self.output_tokens = 0
        self.failures = {}
        self.ttft_s = []
        self.gaps_s = []

    def fail(self, reason):
        self.failed += 1
        self.failures[reason] = self.failures.get(reason, 0) + 1


async def one_request(session, url, payload, totals):
    start = time.perf_counter()
    chunk_times = []
    usage_tokens = None
    try:
        async with session.post(url, json=payload) as response:
            if response.status != 200:
                totals.fail(f"http_{response.status}")
                return
            async for line in response.content:
                line = line.strip()
                if not line:
                    continue
                data = line.decode("utf-8").removeprefix("data: ")
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                choices = chunk.get("choices") or []
                if choices and (choices[0].get("text") or
                                (choices[0].get("delta") or {}).get("content")):
                    chunk_times.append(time.perf_counter())
                if chunk.get("usage"):
                    usage_tokens = chunk["usage"].get("completion_tokens")
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        totals.fail(type(error).__name__)
        return
    totals.succeeded += 1
    totals.output_tokens += usage_tokens if usage_tokens is not None else len(chunk_times)
    if chunk_times:  # what a benchmark keeps: TTFT and the inter-token gaps
        totals.ttft_s.append(chunk_times[0] - start)
        totals.gaps_s.extend(b - a for a, b in zip(chunk_times, chunk_times[1:]))


async def run(args):
    url = args.url.rstrip("/")
    if not url.endswith("/v1"):
        url += "/v1"
    url += "/completions"
    totals = Totals()
    next_index = 0

    async def worker(session):
        nonlocal next_index
        while next_index < args.requests:
            index = next_index
            next_index += 1
            totals.requests += 1
            payload = {"model": args.model, "prompt": prompt(index, args.prompt_words),
                       "max_tokens": args.output_tokens, "stream": True, "ignore_eos": True,
                       "temperature": 0.0, "stream_options": {"include_usage": True}}
            await one_request(session, url, payload, totals)

    connector = aiohttp.TCPConnector(limit=args.concurrency)
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        cpu0 = time.process_time()
        wall0 = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(args.concurrency)))
        wall_s = time.perf_counter() - wall0
        cpu_s = time.process_time() - cpu0
    return {
        "client": f"Python {sys.version.split()[0]} asyncio + aiohttp {aiohttp.__version__}",
        "concurrency": args.concurrency,
        "requests": totals.requests,
        "succeeded": totals.succeeded,
        "failed": totals.failed,
        "failures_by_reason": totals.failures,
        "output_tokens": totals.output_tokens,
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        "tokens_per_cpu_s": totals.output_tokens / cpu_s if cpu_s > 0 else 0.0,
        "tokens_per_s": totals.output_tokens / wall_s if wall_s > 0 else 0.0,
        "itl_ms_p50": gap_percentile_ms(totals.gaps_s, 50),
        "itl_ms_p99": gap_percentile_ms(totals.gaps_s, 99),
    }


def gap_percentile_ms(gaps_s, percent):
    # Computed after the clock stopped, so it costs the measured run nothing.
    if not gaps_s:
        return None
    return float(np.percentile(np.asarray(gaps_s), percent)) * 1000.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--model", default="joulebench-test-model")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--output-tokens", type=int, default=256)
    parser.add_argument("--prompt-words", type=int, default=48)
    args = parser.parse_args()
    if args.concurrency < 1 or args.requests < 1:
        print("error: --concurrency and --requests must be at least 1", file=sys.stderr)
        return 2
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=2))
    return 0 if result["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
