#include "serving_gpus.hpp"

#include <gtest/gtest.h>

namespace joulebench::cli {
namespace {

std::vector<GpuProcesses> host(std::vector<std::vector<unsigned>> pids_per_gpu) {
  std::vector<GpuProcesses> gpus;
  for (unsigned i = 0; i < pids_per_gpu.size(); ++i)
    gpus.push_back({i, "GPU-" + std::to_string(i), pids_per_gpu[i]});
  return gpus;
}

TEST(ServingGpus, TheGpusRunningTheServerAreChosen) {
  // Server 100 with workers 101 (GPU 1) and 102 (GPU 3); GPU 0 runs someone else's job.
  const auto chosen = match_serving_gpus(host({{555}, {101}, {}, {102, 777}}), {100, 101, 102});
  EXPECT_EQ(chosen.gpus, "1,3");
  EXPECT_EQ(
      chosen.note,
      "measuring the GPUs that run the server's processes: nvml:1 (PID 101); nvml:3 (PID 102) "
      "(--gpus overrides)");
}

TEST(ServingGpus, EveryGpuWhenAllOrNoneRunTheServer) {
  const auto all = match_serving_gpus(host({{100}, {101}}), {100, 101});
  EXPECT_EQ(all.gpus, "");
  EXPECT_NE(all.note.find("each runs the server's processes"), std::string::npos);
  const auto none = match_serving_gpus(host({{5}, {6}}), {100});
  EXPECT_EQ(none.gpus, "");
  EXPECT_EQ(none.note,
            "measuring every GPU: none of them runs the server's processes (give --gpus)");
  EXPECT_EQ(match_serving_gpus(host({{5}}), {100}).note, "");  // one GPU: nothing to choose
}

TEST(ServingGpus, AnExplicitChoiceOrARemoteServerIsLeftAlone) {
  SensorFlags flags;
  flags.gpus = "0";
  EXPECT_EQ(serving_gpus("http://127.0.0.1:8000/v1", flags).note, "");
  SensorFlags rapl_only;
  rapl_only.sensors = {"rapl"};
  EXPECT_EQ(serving_gpus("http://127.0.0.1:8000/v1", rapl_only).note, "");
  EXPECT_EQ(serving_gpus("http://gpu-node-7:8000/v1", SensorFlags{}).note, "");
}

}  // namespace
}  // namespace joulebench::cli
