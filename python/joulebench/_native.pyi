"""Type stubs of joulebench._native, the C++ core. Units are in every name: *_joules (J),
*_watts (W), *_seconds (s), *_celsius (degrees C), *_bytes, *_percent, *_mhz. A figure
that could not be measured is None (never 0), as in the CLI's JSON."""
from datetime import timedelta
from typing import Any, Dict, List, Literal, Optional, Sequence, Union, overload

__version__: str

class JoulebenchError(RuntimeError):
    """A measurement could not be made (no usable sensor) or the monitor was misused
    (ending a window that is not open, stopping a monitor that is not running). The
    message is the text the joulebench CLI prints after "error: ", e.g.
    "sensor nvml: libnvidia-ml.so.1 not found (set JOULEBENCH_NVML_LIBRARY)"."""

class Gauge:
    """min / mean / max / stddev of a gauge over a window, in the unit its attribute name
    says (DeviceResult.temperature_celsius is in degrees C). All None when count == 0."""
    @property
    def count(self) -> int: ...
    @property
    def min(self) -> Optional[float]: ...
    @property
    def mean(self) -> Optional[float]: ...
    @property
    def max(self) -> Optional[float]: ...
    @property
    def stddev(self) -> Optional[float]:
        """Sample standard deviation (n - 1); None when count < 2."""

class DeviceResult:
    """One device's share of a Result."""
    @property
    def id(self) -> str:
        """Stable within a run: "nvml:0", "rapl:package-0", "replay:0"."""
    @property
    def name(self) -> str: ...
    @property
    def uuid(self) -> str:
        """GPU UUID; "" when the device has none."""
    @property
    def sensor(self) -> str: ...
    @property
    def vendor(self) -> str: ...
    @property
    def method(self) -> Literal["counter", "integrated", "none"]:
        """How energy_joules was obtained: the hardware energy counter, or trapezoid
        integration of timestamped power samples."""
    @property
    def energy_joules(self) -> Optional[float]:
        """Energy in J over the window, by `method`."""
    @property
    def energy_reason(self) -> str:
        """Why energy_joules is None, or a note on the method."""
    @property
    def raw_energy_joules(self) -> Optional[float]:
        """The sensor's own energy; energy_joules is calibrated when `calibrated`."""
    @property
    def calibrated(self) -> bool:
        """True when a reference-meter calibration was applied to this device."""
    @property
    def counter_energy_joules(self) -> Optional[float]: ...
    @property
    def integrated_energy_joules(self) -> Optional[float]: ...
    @property
    def method_disagreement(self) -> Optional[float]:
        """|counter - integrated| / counter, a fraction (0.01 = 1 %)."""
    @property
    def avg_power_watts(self) -> Optional[float]:
        """energy_joules / duration, in W."""
    @property
    def peak_power_watts(self) -> Optional[float]:
        """Largest power sample in W."""
    @property
    def samples(self) -> int: ...
    @property
    def failed_reads(self) -> int: ...
    @property
    def counter_wraps(self) -> int: ...
    @property
    def counter_resets(self) -> int: ...
    @property
    def power_watts(self) -> Gauge: ...
    @property
    def temperature_celsius(self) -> Gauge: ...
    @property
    def gpu_utilization_percent(self) -> Gauge: ...
    @property
    def sm_clock_mhz(self) -> Gauge: ...
    @property
    def memory_used_bytes(self) -> Gauge: ...
    @property
    def lost(self) -> bool:
        """The device fell off (e.g. GPU off the bus); energy counts up to the loss."""
    @property
    def lost_at_seconds(self) -> Optional[float]:
        """Seconds since the window began when the device was lost."""
    def to_dict(self) -> Dict[str, Any]:
        """The device's entry in the CLI's JSON (keys energy_j, avg_power_w, ...)."""

class TokenEnergy:
    """Energy per generated token for one window. Figures that cannot be computed are
    None and `reason` says why (no tokens, no energy, no idle power for net figures)."""
    @property
    def output_tokens(self) -> Optional[float]: ...
    @property
    def tokens_source(self) -> str: ...
    @property
    def duration_seconds(self) -> Optional[float]: ...
    @property
    def tokens_per_second(self) -> Optional[float]: ...
    @property
    def energy_joules(self) -> Optional[float]:
        """Gross energy in J (everything the devices drew, idle included)."""
    @property
    def idle_energy_joules(self) -> Optional[float]:
        """idle_power_watts x duration, in J."""
    @property
    def net_energy_joules(self) -> Optional[float]:
        """Gross - idle, in J; may be small or negative, never clamped."""
    @property
    def joules_per_token(self) -> Optional[float]:
        """Gross J per generated token."""
    @property
    def joules_per_token_net(self) -> Optional[float]: ...
    @property
    def tokens_per_joule(self) -> Optional[float]: ...
    @property
    def tokens_per_joule_net(self) -> Optional[float]: ...
    @property
    def joules_per_token_ci95(self) -> Optional[tuple[float, float]]:
        """(low, high) 95% interval of J/token from the energy's stated uncertainty."""
    @property
    def tokens_per_joule_ci95(self) -> Optional[tuple[float, float]]: ...
    @property
    def avg_power_watts(self) -> Optional[float]: ...
    @property
    def reason(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]:
        """The per-token fields of the CLI's run/bench JSON (output_tokens,
        j_per_output_token, tokens_per_j, ...)."""
    def cost(self, price_kwh: float = 0.10, *, net: bool = False, pue: Optional[float] = None,
             node_overhead: Optional[float] = None, psu_efficiency: Optional[float] = None,
             hardware_cost_usd: Optional[float] = None, years: float = 3.0,
             utilization: float = 0.7) -> Dict[str, Any]:
        """What these tokens cost, computed by the same C++ as `joulebench cost`: keys
        j_per_token, facility, facility_factor, usd_per_kwh, wall_kwh_per_million_tokens,
        energy_usd_per_million_tokens, energy_usd_per_hour (None without throughput),
        hardware_usd_per_hour, all_in_usd_per_million_tokens (None without
        hardware_cost_usd). Shares (node_overhead, psu_efficiency, utilization) are
        fractions. ValueError without a J/token or for a bad argument (named)."""
    def co2(self, region: Optional[str] = None, *, grid_gco2_kwh: Optional[float] = None,
            net: bool = False, pue: Optional[float] = None,
            node_overhead: Optional[float] = None,
            psu_efficiency: Optional[float] = None) -> Dict[str, Any]:
        """CO2 of these tokens, as `joulebench cost --region`: keys g_co2_per_kwh,
        intensity_source, g_co2_per_million_tokens, kg_co2_per_hour (None without
        throughput), with the inputs. Give region (a code of the bundled grid table, e.g.
        "FR") or grid_gco2_kwh."""

class Result:
    """The measurement of a window (EnergyMonitor.end_window) or of a whole run
    (EnergyMonitor.stop)."""
    @property
    def name(self) -> str:
        """The window's name; "run" for the result of stop()."""
    @property
    def start_seconds(self) -> float:
        """Seconds from the monitor's start() to the window's beginning."""
    @property
    def duration_seconds(self) -> float: ...
    @property
    def energy_joules(self) -> Optional[float]:
        """Energy in J summed over the devices; None when no device has energy."""
    @property
    def energy_ci95_joules(self) -> Optional[tuple[float, float]]:
        """(low, high) 95% interval of energy_joules from stated sources, listed in
        to_dict()["energy_uncertainty"]; None without one."""
    @property
    def avg_power_watts(self) -> Optional[float]:
        """energy_joules / duration_seconds, in W."""
    @property
    def peak_power_watts(self) -> Optional[float]:
        """Largest sum of simultaneous device power readings, in W."""
    @property
    def method(self) -> Literal["counter", "integrated", "mixed", "none"]:
        """How the devices' energy was obtained; "mixed" when devices differ."""
    @property
    def devices(self) -> List[DeviceResult]: ...
    @property
    def warnings(self) -> List[str]:
        """Short sentences, e.g. a window shorter than the energy counter's update period."""
    @property
    def is_run(self) -> bool:
        """True for the result of stop()."""
    @property
    def run_id(self) -> Optional[str]:
        """The results store's id after stop(store=True), else None."""
    def to_json(self) -> str:
        """The CLI's JSON schema (with "schema_version"): for a run, the document
        `joulebench monitor` writes (command = sys.argv, windows = every window ended during
        the run); for a window, an entry of that document's "windows" list. This is the
        form results are kept in, so Python and CLI results can be stored side by side."""
    def to_dict(self) -> Dict[str, Any]:
        """to_json() parsed into dicts and lists."""
    def token_energy(self, tokens: Optional[float], idle_power_watts: Optional[float] = None,
                     tokens_source: str = "python") -> TokenEnergy:
        """J/token and tokens/J for this result's energy and duration. With
        idle_power_watts (W, all measured devices together) the net figures too.
        Raises ValueError for a negative or non-finite token count."""

class EnergyMonitor:
    """Samples GPUs (NVML) and CPUs (RAPL) on a C++ thread at `interval` and measures the
    energy of the whole run and of named, possibly overlapping windows. Every method may
    be called from any thread; calls that wait for the sampler release the GIL. A monitor
    still running at interpreter exit is stopped there."""
    def __init__(self, gpu_ids: Union[None, int, str, Sequence[Union[int, str]]] = None,
                 sensors: Union[str, Sequence[str]] = "auto",
                 interval: Union[float, timedelta] = 0.1,
                 calibration: Optional[str] = None) -> None:
        """Opens the sensors.

        calibration: a file written by `joulebench calibrate -o FILE`, applied to its GPU
            (raw energy kept as DeviceResult.raw_energy_joules); a calibration of a GPU not
            measured is a ValueError naming it.

        gpu_ids: NVML indices or UUIDs (a unique prefix is enough); None measures the GPUs
            CUDA_VISIBLE_DEVICES selects, else every GPU.
        sensors: "auto" (every available one), "nvml", "rapl", "replay:PATH" (a recorded
            trace, simulated hardware), or a list of them.
        interval: sampling interval in seconds (or a timedelta), 0.001 .. 10.

        Raises ValueError for a malformed sensor spec or interval, JoulebenchError when no
        sensor can measure or a sensor named explicitly cannot open.
        JOULEBENCH_NVML_LIBRARY=/path/libnvidia-ml.so.1 overrides the NVML library."""
    def start(self) -> None:
        """Starts sampling and the whole-run window. JoulebenchError if already running."""
    def stop(self, *, store: bool = False, labels: Optional[Dict[str, str]] = None,
             db: Optional[str] = None) -> Result:
        """Stops sampling and returns the whole run; windows still open end here and are
        listed in the run's to_json(). labels describe the configuration (as the CLI's
        --label); store=True keeps the run in the results store (db, default the CLI's:
        $JOULEBENCH_DB, else $XDG_DATA_HOME/joulebench/results.db) so that `joulebench runs`,
        `compare` and `report` see it, and sets Result.run_id. JoulebenchError if not
        running or the store cannot be written."""
    @property
    def running(self) -> bool: ...
    def begin_window(self, name: str) -> None:
        """Begins the window `name` with a fresh sample of every device. Windows may
        overlap and nest; names must be unique among open windows ("run" is taken)."""
    def end_window(self, name: str) -> Result:
        """Ends the window `name` with a fresh sample and returns its Result.
        JoulebenchError if no such window is open."""
    def open_windows(self) -> List[str]: ...
    @property
    def interval(self) -> float:
        """Sampling interval in seconds."""
    @property
    def devices(self) -> List[Dict[str, Any]]:
        """The measured devices as in `joulebench devices --json` (power_limit_w, ...)."""
    @property
    def sensors_unavailable(self) -> List[Dict[str, str]]:
        """Sensors tried and not available: [{"sensor": "rapl", "reason": "..."}]."""
    @overload
    def get_current_power(self, per_device: Literal[False] = False) -> Optional[float]:
        """Latest power reading in W: the sum over the devices (None before the first
        sample or while a device has no reading), or {device id: W} with per_device=True."""
    @overload
    def get_current_power(self, per_device: Literal[True]) -> Dict[str, Optional[float]]: ...
    def get_temperature(self) -> Dict[str, Optional[float]]:
        """Latest temperature per device id, in degrees Celsius (None if not reported)."""
    def get_memory_info(self) -> Dict[str, Optional[int]]:
        """Latest device memory in use per device id, in bytes (None if not reported)."""

def _stop_all_running() -> int:
    """Stops every EnergyMonitor still running (the package calls it at exit)."""
