"""joulebench: the energy of LLM inference, measured by joulebench's C++ core.

    import joulebench

    monitor = joulebench.EnergyMonitor(gpu_ids=[0], interval=0.1)  # interval in seconds
    monitor.start()
    with joulebench.measure("decode", tokens=lambda: n_tokens, monitor=monitor) as m:
        n_tokens = generate()
    run = monitor.stop()
    print(m.joules_per_token, run.energy_joules, run.to_json())

Everything measured or computed (sampling, energy, windows, per-token figures, JSON) is
done in C++ (`joulebench._native`); this file only adds context managers, the Hugging Face
helper and the stop of running monitors at interpreter exit. Units are in the names:
joules, watts, seconds.
"""
from __future__ import annotations

import atexit
import contextlib
import itertools
import sys
import threading
from typing import Any, Callable, Dict, Iterator, Optional, Tuple, Union, cast

from . import _native
from ._native import (DeviceResult, EnergyMonitor, Gauge, JoulebenchError, Result,
                      TokenEnergy)

__version__ = _native.__version__
__all__ = ["DeviceResult", "EnergyMonitor", "Gauge", "JoulebenchError", "MeasuredWindow",
           "Result", "TokenEnergy", "default_monitor", "generate_with_energy_tracking",
           "measure"]

# A sampler thread still running while the interpreter tears down would read sensors from
# a dying process; stop every running monitor first (the C++ side keeps the list).
atexit.register(_native._stop_all_running)

TokenCount = Union[int, float, Callable[[], Union[int, float]], None]

_default_lock = threading.Lock()
_default: Optional[EnergyMonitor] = None


def default_monitor() -> EnergyMonitor:
    """The monitor `measure` and `generate_with_energy_tracking` use when given none:
    created on first use with EnergyMonitor()'s defaults, started, stopped at exit."""
    global _default
    with _default_lock:
        if _default is None:
            _default = EnergyMonitor()
        if not _default.running:
            _default.start()
        return _default


class MeasuredWindow:
    """What `measure` yields; filled in when the with-block ends."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.result: Optional[Result] = None          # the window's measurement
        self.tokens: Optional[float] = None           # tokens counted at the end
        self.token_energy: Optional[TokenEnergy] = None

    @property
    def energy_joules(self) -> Optional[float]:
        return self.result.energy_joules if self.result else None

    @property
    def duration_seconds(self) -> Optional[float]:
        return self.result.duration_seconds if self.result else None

    @property
    def avg_power_watts(self) -> Optional[float]:
        return self.result.avg_power_watts if self.result else None

    @property
    def joules_per_token(self) -> Optional[float]:
        return self.token_energy.joules_per_token if self.token_energy else None

    def _token_energy(self, method: str) -> TokenEnergy:
        if self.token_energy is None:
            raise ValueError(f"{method}: the window {self.name!r} has not ended yet")
        return self.token_energy

    def cost(self, price_kwh: float = 0.10, **options: Any) -> Dict[str, Any]:
        """TokenEnergy.cost of this window: USD per 1M tokens and per hour at price_kwh,
        the same figures as `joulebench cost` (options: net, pue, node_overhead,
        psu_efficiency, hardware_cost_usd, years, utilization)."""
        return self._token_energy("cost").cost(price_kwh, **options)

    def co2(self, region: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """TokenEnergy.co2 of this window: g CO2 per 1M tokens and kg per hour for a grid
        region ("FR") or grid_gco2_kwh=..."""
        return self._token_energy("co2").co2(region, **options)

    def __repr__(self) -> str:
        return (f"MeasuredWindow(name={self.name!r}, energy_joules={self.energy_joules}, "
                f"tokens={self.tokens}, joules_per_token={self.joules_per_token})")


Sync = Optional[str]  # "auto" (default), "cuda", or None / "none"


def _cuda_synchronizer(sync: Sync) -> Optional[Callable[[], None]]:
    """torch.cuda.synchronize when asked for ("cuda"), or by default ("auto") when torch is
    already imported and CUDA initialised; None otherwise. PyTorch queues GPU work
    asynchronously: without it a window ends before the GPU finished (Zeus does the same)."""
    if sync is None or sync == "none":
        return None
    if sync not in ("auto", "cuda"):
        raise ValueError(f"sync: {sync!r} is not 'auto', 'cuda' or None")
    torch = sys.modules.get("torch")
    if torch is None:
        if sync == "cuda":
            raise ValueError("sync='cuda': torch is not imported")
        return None
    cuda = getattr(torch, "cuda", None)
    initialised = cuda is not None and cuda.is_available() and cuda.is_initialized()
    if sync == "cuda" and not initialised:
        raise ValueError("sync='cuda': CUDA is not initialised in torch")
    return cuda.synchronize if initialised else None


class measure(contextlib.ContextDecorator):
    """Measures a with-block (or each call of a decorated function) as the window `name` of
    `monitor` (default_monitor() if None); names must be unique among the monitor's open
    windows. Tokens give J/token: `tokens=` (a number, or a callable called after the
    block), or set `window.tokens = n` inside the block. `idle_power_watts` (W) gives the
    net figures. `sync`: "auto" (default) calls torch.cuda.synchronize() at both edges when
    torch has initialised CUDA, "cuda" always (an error without CUDA), None never. If the
    block raises, the window still ends (its result is kept) and the error goes on.
    As a decorator, `last` is the MeasuredWindow of the latest call."""

    def __init__(self, name: str = "measure", tokens: TokenCount = None,
                 monitor: Optional[EnergyMonitor] = None,
                 idle_power_watts: Optional[float] = None, sync: Sync = "auto") -> None:
        self.name = name
        self._tokens = tokens
        self._monitor = monitor
        self._idle_power_watts = idle_power_watts
        self._synchronize = _cuda_synchronizer(sync)
        self.last: Optional[MeasuredWindow] = None
        self._open: list = []  # (monitor, window) of the blocks entered and not yet left

    def __enter__(self) -> MeasuredWindow:
        mon = self._monitor if self._monitor is not None else default_monitor()
        window = MeasuredWindow(self.name)
        if self._synchronize:
            self._synchronize()
        mon.begin_window(self.name)
        self._open.append((mon, window))
        return window

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        mon, window = self._open.pop()
        if self._synchronize:
            self._synchronize()
        window.result = mon.end_window(self.name)
        self.last = window
        if exc_type is not None:
            return  # what was measured is kept; the error goes on
        count = self._tokens() if callable(self._tokens) else self._tokens
        if count is None:
            count = window.tokens  # set inside the block
        window.tokens = None if count is None else float(count)
        window.token_energy = window.result.token_energy(
            window.tokens, idle_power_watts=self._idle_power_watts,
            tokens_source="measure(tokens=...)" if self._tokens is not None else "window.tokens")


def _enter_monitor(self: EnergyMonitor) -> EnergyMonitor:
    self.start()
    return self


def _exit_monitor(self: EnergyMonitor, *_: Any) -> None:
    if self.running:
        self.last_result = self.stop()


# `with joulebench.EnergyMonitor(gpu_ids=[0]) as monitor: ...` starts it and stops it at the
# end; the whole run's Result is then `monitor.last_result`.
EnergyMonitor.__enter__ = _enter_monitor  # type: ignore[attr-defined]
EnergyMonitor.__exit__ = _exit_monitor  # type: ignore[attr-defined]


def _rows_and_length(token_ids: Any) -> Tuple[int, int]:
    """(rows, positions) of token ids: a tensor/array (batch, seq) or (seq,), or lists."""
    shape = getattr(token_ids, "shape", None)
    if shape is not None:
        return (1, int(shape[0])) if len(shape) == 1 else (int(shape[0]), int(shape[-1]))
    if len(token_ids) and isinstance(token_ids[0], (list, tuple)):
        return len(token_ids), len(token_ids[0])
    return 1, len(token_ids)


_generate_calls = itertools.count(1)


def generate_with_energy_tracking(model: Any, tokenizer: Any, prompt: str,
                                  max_tokens: int = 100, *,
                                  monitor: Optional[EnergyMonitor] = None,
                                  warmup: bool = True,
                                  **generate_kwargs: Any) -> Dict[str, Any]:
    """Runs a Hugging Face `model.generate` on `prompt` and measures it; see _native.pyi
    for the returned keys. Duck-typed: transformers is never imported here."""
    inputs = tokenizer(prompt, return_tensors="pt")
    device = getattr(model, "device", None)
    if device is not None and hasattr(inputs, "to"):
        inputs = inputs.to(device)
    inputs = dict(inputs)
    _, input_length = _rows_and_length(inputs["input_ids"])
    call = dict(inputs, max_new_tokens=max_tokens, **generate_kwargs)
    if warmup:
        model.generate(**call)  # first call pays for kernel selection and allocation
    mon = monitor if monitor is not None else default_monitor()
    generated = 0
    with measure(f"generate_with_energy_tracking#{next(_generate_calls)}",
                 tokens=lambda: generated, monitor=mon) as window:
        output = model.generate(**call)
        sequences = getattr(output, "sequences", output)  # return_dict_in_generate=True
        out_rows, output_length = _rows_and_length(sequences)
        # Rows that finished early are padded to the longest: this counts generated positions.
        generated = out_rows * max(output_length - input_length, 0)
    decode = getattr(tokenizer, "decode", None)
    if decode is None:
        text: Any = None
    else:
        texts = [decode(sequences[row][input_length:], skip_special_tokens=True)
                 for row in range(out_rows)]
        text = texts[0] if out_rows == 1 else texts
    energy = cast(TokenEnergy, window.token_energy)  # both set once the block ended
    result = cast(Result, window.result)
    return {
        "output": text,
        "output_ids": sequences,
        "tokens_generated": generated,
        "energy_joules": energy.energy_joules,
        "duration_seconds": result.duration_seconds,
        "avg_power_watts": result.avg_power_watts,
        "joules_per_token": energy.joules_per_token,
        "tokens_per_second": energy.tokens_per_second,
        "result": result,
    }
