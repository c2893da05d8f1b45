// `joulebench bench synthetic [--model 8B] [--batch 1,8,32] [--precision fp16,bf16]`: a
// synthetic GPT decode (random weights, no model files) on one CUDA GPU, measured like
// `joulebench run` (iterations, prefill and decode windows, J/token with statistics, validity,
// stored per configuration). `--plan` instead prints what each configuration asks of the GPU
// per token and the memory-bound ceiling at a board's peak bandwidth, with no GPU needed.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "calibration_flag.hpp"
#include "commands.hpp"
#include "gpu_sweep.hpp"
#include "measurement_setup.hpp"
#include "models/device_facts.hpp"
#include "part_time_sampling.hpp"
#include "platform/process.hpp"
#include "report/json_values.hpp"
#include "report/run_result_writers.hpp"
#include "report/text_table.hpp"
#include "results/result_keys.hpp"
#include "results/result_kind.hpp"
#include "store_flags.hpp"
#include "workloads/command/run_summary.hpp"
#include "workloads/command/run_validity.hpp"
#include "workloads/synthetic/cuda/decode_kernels.hpp"
#include "workloads/synthetic/cuda/decode_variants.hpp"
#include "workloads/synthetic/decode_plan.hpp"
#include "workloads/synthetic/synthetic_iterations.hpp"

namespace joulebench::cli {
namespace {

using synthetic::DecodePlanInput;
using synthetic::DecodePlanRow;

constexpr double kGb = 1e9;
constexpr double kMb = 1e6;

struct SyntheticFlags {
  std::string model = "8B";
  CalibrationFlag calibration;
  std::string batch = "1,8,32,64";
  std::string precision = "fp16";
  std::int64_t prompt_tokens = 2048;
  std::int64_t output_tokens = 256;
  std::string gpu;
  std::string catalog_file;
  bool plan = false;
  OutputFlags out;
  // The GPU run.
  int device = 0;
  std::size_t iterations = 5;
  std::size_t warmup_iterations = 1;
  std::uint64_t seed = 1;
  std::string interval = "100ms";
  std::vector<std::string> labels;
  SensorFlags sensors;
  IdleFlags idle;
  ValidityFlags validity;
  StoreFlags store;
  bool quiet = false;
  std::string attention_kernel = "split-k";
  std::string cuda_graph = "on";
  GpuSweepFlags gpu_sweep;
  std::string* captured_document = nullptr;  // a sweep's copy of each setting's result
};

Expected<std::vector<synthetic::Precision>> parse_precisions(const std::string& text) {
  std::vector<synthetic::Precision> precisions;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    auto precision =
        synthetic::parse_precision(std::string_view(text).substr(start, comma - start));
    if (!precision) return precision.error();
    precisions.push_back(*precision);
    start = comma + 1;
  }
  return precisions;
}

Expected<DecodePlanInput> plan_input(const SyntheticFlags& flags) {
  DecodePlanInput input;
  auto shape = synthetic::parse_model_shape(flags.model);
  if (!shape) return shape.error();
  input.shape = std::move(*shape);
  auto precisions = parse_precisions(flags.precision);
  if (!precisions) return precisions.error();
  input.precisions = std::move(*precisions);
  auto batches = parse_levels(flags.batch, "--batch", true);
  if (!batches) return batches.error();
  for (double batch : *batches) input.batches.push_back(static_cast<std::int64_t>(batch));
  // The decode starts from the prompt's last token: a prompt of 0 tokens has none.
  if (flags.prompt_tokens < 1) return Error{"--prompt-tokens: must be at least 1"};
  if (flags.output_tokens < 1) return Error{"--output-tokens: must be at least 1"};
  input.prompt_tokens = flags.prompt_tokens;
  input.output_tokens = flags.output_tokens;
  if (!flags.gpu.empty()) {
    auto catalog = models::load_gpu_catalog(flags.catalog_file);
    if (!catalog) return catalog.error();
    auto gpu = models::find_gpu(*catalog, flags.gpu);
    if (!gpu) return gpu.error();
    input.gpu = std::move(*gpu);
  }
  return input;
}

nlohmann::ordered_json row_json(const DecodePlanRow& row) {
  nlohmann::ordered_json out = {
      {"precision", synthetic::precision_name(row.precision)},
      {"batch", row.batch},
      {"mean_context_tokens", row.mean_context},
      {"weight_bytes_per_step", row.cost.weight_bytes_per_step},
      {"kv_bytes_per_token", row.cost.kv_bytes_per_token},
      {"bytes_per_token", row.cost.bytes_per_token()},
      {"flops_per_token", row.cost.flops_per_token},
      {"flops_per_byte", row.cost.flops_per_byte()},
      {"memory_needed_gb", row.memory_needed_bytes / kGb},
      {"fits_in_memory", report::optional_json(row.fits_in_memory)},
      {"ceiling_output_tokens_per_s", report::optional_json(row.ceiling_output_tokens_per_s)},
  };
  if (!row.ceiling_reason.empty()) out["ceiling_reason"] = row.ceiling_reason;
  return out;
}

std::string plan_json(const DecodePlanInput& input, const std::vector<DecodePlanRow>& rows) {
  const synthetic::ModelShape& shape = input.shape;
  const synthetic::ParameterCount count = synthetic::count_parameters(shape);
  nlohmann::ordered_json gpu = nullptr;
  if (input.gpu) {
    gpu = {{"name", input.gpu->name},
           {"memory_gb", report::optional_json(input.gpu->memory_gb)},
           {"memory_bandwidth_gb_s", report::optional_json(input.gpu->memory_bandwidth_gb_s)},
           {"source", input.gpu->source}};
  }
  nlohmann::ordered_json doc = {
      {"schema_version", report::kSchemaVersion},
      {"kind", "synthetic_plan"},
      {"model",
       {{"name", shape.name},
        {"layers", shape.layers},
        {"hidden", shape.hidden},
        {"heads", shape.heads},
        {"kv_heads", shape.kv_heads},
        {"ffn", shape.ffn},
        {"vocab", shape.vocab},
        {"parameters", count.total},
        {"gemm_weights", count.gemm_weights}}},
      {"weights", "random: no model files; the figures depend on the shapes only"},
      {"prompt_tokens", input.prompt_tokens},
      {"output_tokens", input.output_tokens},
      {"gpu", gpu},
      {"ceiling_basis",
       "memory-bound decode: peak memory bandwidth (catalog) / bytes read per token; "
       "a ceiling, not a prediction"},
      {"rows", nlohmann::ordered_json::array()},
  };
  for (const DecodePlanRow& row : rows) doc["rows"].push_back(row_json(row));
  return doc.dump(2) + "\n";
}

std::string plan_table(const DecodePlanInput& input, const std::vector<DecodePlanRow>& rows) {
  const auto parameters = static_cast<double>(synthetic::count_parameters(input.shape).total);
  std::string board = "no --gpu: no ceiling";
  if (input.gpu) {
    board = fmt::format("ceiling at {} {}", input.gpu->name,
                        input.gpu->memory_bandwidth_gb_s
                            ? fmt::format("{:.0f} GB/s", *input.gpu->memory_bandwidth_gb_s)
                            : std::string("(bandwidth unknown)"));
  }
  std::string text = fmt::format(
      "synthetic {} ({:.2f}e9 parameters, random weights), prompt {}, output {} tokens; {}\n",
      input.shape.name, parameters / kGb, input.prompt_tokens, input.output_tokens, board);
  report::TextTable table({"precision", "batch", "weights GB/step", "KV MB/token", "MB/token",
                           "GFLOP/token", "FLOP/byte", "memory GB", "fits", "ceiling tok/s"});
  for (const DecodePlanRow& row : rows) {
    const std::string fits = row.fits_in_memory ? (*row.fits_in_memory ? "yes" : "NO") : "-";
    table.add_row({std::string(synthetic::precision_name(row.precision)), std::to_string(row.batch),
                   report::format_number(row.cost.weight_bytes_per_step / kGb, 2),
                   report::format_number(row.cost.kv_bytes_per_token / kMb, 1),
                   report::format_number(row.cost.bytes_per_token() / kMb, 1),
                   report::format_number(row.cost.flops_per_token / kGb, 2),
                   report::format_number(row.cost.flops_per_byte(), 1),
                   report::format_number(row.memory_needed_bytes / kGb, 1), fits,
                   report::format_number(row.ceiling_output_tokens_per_s, 0)});
  }
  return text + table.render();
}

// One configuration measured: its RunResult, labelled with the shape, precision and batch.
RunResult measure_configuration(Monitor& monitor, const cuda::CudaLibraries& gpu,
                                const DecodePlanInput& input, const SyntheticFlags& flags,
                                synthetic::Precision precision, std::int64_t batch,
                                const cuda::DecodeVariant& variant, const IdlePower& idle,
                                const std::map<std::string, std::string>& labels) {
  RunResult result;
  const std::string precision_text(synthetic::precision_name(precision));
  result.command = {"joulebench",
                    "bench",
                    "synthetic",
                    "--model",
                    input.shape.name,
                    "--precision",
                    precision_text,
                    "--batch",
                    std::to_string(batch),
                    "--prompt-tokens",
                    std::to_string(input.prompt_tokens),
                    "--output-tokens",
                    std::to_string(input.output_tokens),
                    "--attention-kernel",
                    std::string(cuda::attention_kernel_name(variant.attention)),
                    "--cuda-graph",
                    variant.cuda_graph ? "on" : "off"};
  result.labels = labels;
  result.labels.emplace("workload", "synthetic (random weights)");
  result.labels.emplace("model", input.shape.name);
  result.labels.emplace("precision", precision_text);
  result.labels.emplace("batch", std::to_string(batch));
  result.labels.emplace("gpu", gpu.device().name);
  result.labels.emplace("attention_kernel",
                        std::string(cuda::attention_kernel_name(variant.attention)));
  result.labels.emplace("cuda_graph", variant.cuda_graph ? "on" : "off");
  result.idle = idle;
  cuda::GpuDecodeOptions decode{input.shape, precision, batch,
                                input.prompt_tokens + input.output_tokens, flags.seed};
  decode.attention = variant.attention;
  decode.cuda_graph = variant.cuda_graph;
  auto decoder = cuda::GpuDecoder::create(gpu, decode);
  if (!decoder) {
    result.warnings.push_back(decoder.error().message);
    return result;
  }
  const std::string configuration =
      precision_text + "/b" + std::to_string(batch) + "/" + cuda::variant_slug(variant);
  const std::string whole = "configuration/" + configuration;
  monitor.begin_window(whole);
  synthetic::SyntheticIterationOptions options;
  options.batch = batch;
  options.prompt_tokens = input.prompt_tokens;
  options.output_tokens = input.output_tokens;
  options.warmup_iterations = flags.warmup_iterations;
  options.iterations = flags.iterations;
  options.seed = flags.seed;
  options.idle = idle;
  options.window_prefix = configuration + "/";
  options.should_stop = [] { return platform::interrupted(); };
  const bool progress = progress_wanted(flags.quiet);
  auto error = synthetic::run_synthetic_iterations(
      monitor, **decoder, options, result.iterations, [&](const IterationResult& it) {
        if (progress) {
          fmt::print(stderr, "{} batch {} ({}) iteration {}{}: {} J/token\n", precision_text, batch,
                     cuda::variant_name(variant), it.index + 1, it.warmup ? " (warm-up)" : "",
                     report::format_number(it.energy.j_per_output_token, 4));
        }
      });
  result.whole_run = monitor.end_window(whole);
  if (error) result.warnings.push_back(error->message);
  if (platform::interrupted()) result.interrupted_by = "SIGINT or SIGTERM";
  result.summaries = summarize_iterations(result.iterations);
  return result;
}

int run_on_gpu(const SyntheticFlags& flags, const DecodePlanInput& input,
               const std::vector<cuda::DecodeVariant>& variants) {
  auto settings = parse_measurement_settings(flags.interval, flags.labels, flags.validity);
  if (!settings) return usage_error(settings.error());
  if (flags.iterations == 0) return usage_error("--iterations: must be at least 1");
  platform::install_interrupt_flag();  // Ctrl-C ends the sweep after the current iteration
  auto gpu = cuda::CudaLibraries::open(flags.device);
  if (!gpu) return usage_error("bench synthetic: " + gpu.error().message);
  auto opened = open_sensors_or_explain(flags.sensors);
  if (!opened) return kExitUsage;
  const report::Provenance provenance =
      make_provenance(*opened, settings->interval, flags.sensors.sensors);
  MonitorOptions options;
  options.interval = settings->interval;
  if (auto loaded = flags.calibration.load_into(opened->sensors, options, flags.store.db); !loaded)
    return usage_error(loaded.error());
  options.describe_device = models::catalog_device_facts();
  Monitor monitor(std::move(opened->sensors), options);
  auto idle = start_with_idle(monitor, flags.idle, provenance.host, flags.quiet);
  if (!idle) return usage_error(idle.error());
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  bool all_valid = true;
  for (const cuda::DecodeVariant& variant : variants) {
    for (synthetic::Precision precision : input.precisions) {
      for (std::int64_t batch : input.batches) {
        RunResult result = measure_configuration(monitor, **gpu, input, flags, precision, batch,
                                                 variant, *idle, settings->labels);
        result.validity = assess_run_validity(result, settings->thresholds);
        all_valid = all_valid && result.validity.valid && !result.iterations.empty();
        const std::string document = report::run_json(result, provenance);
        if (!result.iterations.empty()) flags.store.store(document, "", flags.quiet);
        if (std::ostream* summary = flags.out.summary_stream(flags.quiet)) {
          *summary << report::run_table(result);
        }
        runs.push_back(nlohmann::ordered_json::parse(document));
        if (result.interrupted_by) break;
      }
    }
  }
  monitor.stop();
  const auto plan = synthetic::plan_decode(input);
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(plan_json(input, plan));
  doc[results::keys::kind] = results::kind_name(results::ResultKind::bench_synthetic);
  doc["kernels"] = cuda::decode_kernels_build();
  doc["runs"] = std::move(runs);
  if (flags.captured_document) *flags.captured_document = doc.dump(2) + "\n";
  if (!flags.out.write_json(doc.dump(2) + "\n")) return kExitUsage;
  return all_valid ? 0 : kExitFailed;
}

// The decode variants to measure; split-K refused up front for a shape it cannot run.
Expected<std::vector<cuda::DecodeVariant>> decode_variants(const SyntheticFlags& flags,
                                                           const synthetic::ModelShape& shape) {
  auto variants = cuda::parse_decode_variants(flags.attention_kernel, flags.cuda_graph);
  if (!variants) return variants.error();
  const bool split_k = std::any_of(variants->begin(), variants->end(), [](const auto& v) {
    return v.attention == cuda::AttentionKernel::kSplitK;
  });
  if (split_k) {
    if (auto refusal = cuda::split_k_refusal(shape)) return *refusal;
  }
  return variants;
}

int run_synthetic(const SyntheticFlags& flags) {
  auto input = plan_input(flags);
  if (!input) return usage_error(input.error());
  auto variants = decode_variants(flags, input->shape);
  if (!variants) return usage_error(variants.error());
  if (!flags.plan) return run_on_gpu(flags, *input, *variants);
  const auto rows = synthetic::plan_decode(*input);
  return flags.out.write(plan_json(*input, rows), plan_table(*input, rows));
}

}  // namespace

Command add_bench_synthetic_command(CLI::App& bench) {
  auto flags = std::make_shared<SyntheticFlags>();
  CLI::App* app = bench.add_subcommand(
      "synthetic",
      "A synthetic GPT decode (random weights) on a CUDA GPU: J/token per precision and batch; "
      "--plan: bytes, FLOPs and the ceiling, no GPU needed");
  app->add_flag(
      "--plan", flags->plan,
      "only print the plan: per precision and batch, bytes and FLOPs per token, memory, ceiling");
  app->add_option("--model", flags->model,
                  "1B, 8B, 40B or layers=L,hidden=H,heads=A,kv-heads=K,ffn=F,vocab=V (default 8B)");
  app->add_option("--batch", flags->batch, "batch sizes, e.g. 1,8,32 (default 1,8,32,64)");
  app->add_option("--precision", flags->precision,
                  "fp16, bf16, fp8, comma-separated (default fp16)");
  app->add_option("--prompt-tokens", flags->prompt_tokens,
                  "prompt length per sequence (default 2048)");
  app->add_option("--output-tokens", flags->output_tokens,
                  "tokens decoded per sequence (default 256)");
  app->add_option("--gpu", flags->gpu,
                  "board from the catalog for the ceiling (e.g. H100-SXM, H200, A100-80GB)");
  app->add_option("--catalog", flags->catalog_file,
                  "another GPU catalog file instead of the built-in one");
  flags->out.add_to(*app);
  app->add_option("--device", flags->device, "CUDA device ordinal to decode on (default 0)");
  app->add_option("--iterations", flags->iterations,
                  "measured iterations per configuration (default 5)");
  app->add_option("--warmup-iterations", flags->warmup_iterations,
                  "iterations run first and left out (default 1)");
  app->add_option("--seed", flags->seed,
                  "seed of the random weights and prompt tokens (default 1)");
  app->add_option("--attention-kernel", flags->attention_kernel,
                  "split-k (flash-decoding), simple (a block per row and head), or both "
                  "comma-separated: each measured (default split-k)");
  app->add_option("--cuda-graph", flags->cuda_graph,
                  "on: replay each decode step as a captured CUDA graph; off: launch each kernel; "
                  "on,off: measure both (default on)");
  app->add_option("--interval", flags->interval, "sampling interval (default 100ms)")
      ->type_name("DURATION");
  app->add_option("--label", flags->labels, "KEY=VALUE describing the configuration (repeatable)");
  app->add_flag("-q,--quiet", flags->quiet,
                "no progress on stderr (the summaries still go to stdout unless --json)");
  flags->sensors.add_to(*app);
  flags->calibration.add_to(*app);
  flags->idle.add_to(*app);
  flags->validity.add_to(*app);
  flags->store.add_to(*app);
  flags->gpu_sweep.add_to(*app);
  return {app, [flags] {
            if (auto misuse = flags->gpu_sweep.misuse()) return usage_error(*misuse);
            if (!flags->gpu_sweep.requested() || flags->plan) return run_synthetic(*flags);
            // Every precision and batch once per GPU setting.
            return run_gpu_sweep(flags->gpu_sweep, flags->sensors, flags->out, flags->quiet,
                                 "bench synthetic", [&](const std::vector<std::string>& labels) {
                                   auto at_setting = sweep_setting_flags(*flags, labels);
                                   std::string document;
                                   at_setting.captured_document = &document;
                                   const int code = run_synthetic(at_setting);
                                   return SettingMeasurement{code, document};
                                 });
          }};
}

}  // namespace joulebench::cli
