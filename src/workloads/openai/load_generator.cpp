#include "workloads/openai/load_generator.hpp"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>

#include "workloads/openai/connection_limit.hpp"
#include "workloads/openai/poisson_arrivals.hpp"
#include "workloads/openai/transfer.hpp"

namespace joulebench {
namespace {

constexpr TimeNs kStopCheckNs = 20'000'000;  // the stop flag is seen within 20 ms
// A closed-loop slot whose request could not connect waits this long before its next
// request, so a dead endpoint gives a few failures per second, not a busy loop of them.
constexpr TimeNs kConnectBackoffNs = 100'000'000;
constexpr std::size_t kMaxReservedChunks = 1 << 16;
constexpr int kMaxEvents = 256;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Requests in flight at most: the closed loop's concurrency (refused beyond the open-file
// allowance: its connections could never all open, and each failure would be retried at
// once), or the open loop's max_in_flight capped at the allowance (arrivals wait).
Expected<std::size_t> in_flight_cap(const LoadOptions& options) {
  const std::size_t allowed = open_file_allowance().connections;
  if (const auto* closed = std::get_if<ClosedLoop>(&options.arrivals)) {
    if (closed->concurrency > allowed) {
      return Error{"concurrency " + std::to_string(closed->concurrency) +
                   " needs as many open connections; the open-file limit leaves room for " +
                   std::to_string(allowed)};
    }
    return closed->concurrency;
  }
  return std::max<std::size_t>(
      1, std::min(std::get<OpenLoop>(options.arrivals).max_in_flight, allowed));
}

std::optional<Error> check_arrivals(const LoadOptions& options) {
  if (const auto* closed = std::get_if<ClosedLoop>(&options.arrivals)) {
    if (closed->concurrency == 0) return Error{"concurrency must be at least 1"};
    return std::nullopt;
  }
  const OpenLoop& open = std::get<OpenLoop>(options.arrivals);
  if (!std::isfinite(open.rate_per_s) || open.rate_per_s <= 0) {
    return Error{"rate_per_s must be a positive number of requests per second"};
  }
  if (open.max_in_flight == 0) return Error{"max_in_flight must be at least 1"};
  return std::nullopt;
}

std::optional<Error> check_options(const LoadOptions& options, const std::vector<Prompt>& prompts) {
  if (options.base_url.empty()) return Error{"base_url is empty"};
  if (prompts.empty()) return Error{"no prompts to send"};
  if (!options.duration && !options.max_requests) {
    return Error{"the run needs an end: set a duration or max_requests"};
  }
  if (options.duration && options.duration->count() <= 0) {
    return Error{"duration must be positive"};
  }
  if (options.max_requests && *options.max_requests == 0) {
    return Error{"max_requests must be at least 1"};
  }
  if (options.request.max_tokens == 0) return Error{"max_tokens must be at least 1"};
  if (options.connect_timeout.count() < 0 || options.request_timeout.count() < 0) {
    return Error{"timeouts must not be negative"};
  }
  return check_arrivals(options);
}

curl_slist* request_headers(const std::string& api_key) {
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: text/event-stream");
  // libcurl would otherwise send "Expect: 100-continue" for bodies over 1 KiB and wait up
  // to a second for a reply that many servers never send.
  headers = curl_slist_append(headers, "Expect:");
  if (!api_key.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + api_key).c_str());
  }
  return headers;
}

// Drives all requests of one run on the calling thread. libcurl's socket interface is used
// with an epoll set: each wakeup touches only the connections that have data, whereas
// curl_multi_perform visits every transfer (one poll() each) on every wakeup, which costs
// O(streams) per chunk at 1,000 streams.
class Engine {
 public:
  Engine(const LoadOptions& options, const std::vector<Prompt>& prompts, LoadProgress& progress,
         std::size_t cap);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  std::optional<Error> init();
  LoadRunResult run();

 private:
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);

  bool stop_requested() const;
  bool closed_loop() const { return std::holds_alternative<ClosedLoop>(options_.arrivals); }
  bool count_reached(std::size_t made) const;
  bool past_deadline(TimeNs time_ns) const;
  bool issuing_done(TimeNs now_ns) const;
  void fill(TimeNs now_ns);
  void fill_closed(TimeNs now_ns);
  void fill_open(TimeNs now_ns);
  void issue(TimeNs scheduled_ns, TimeNs now_ns);
  Transfer* acquire();
  TimeNs next_wakeup(TimeNs now_ns) const;
  void wait(TimeNs now_ns);
  void reap();
  void complete(Transfer& transfer, CURLcode code, bool abandoned);
  void record(RequestRecord&& request);
  void abandon_all();

  const LoadOptions& options_;
  const std::vector<Prompt>& prompts_;
  LoadProgress& progress_;
  std::function<TimeNs()> clock_;
  std::vector<std::string> bodies_;  // one per prompt, built once
  TransferSettings settings_;
  std::size_t cap_;
  CURLM* multi_ = nullptr;
  int epoll_fd_ = -1;
  std::optional<TimeNs> curl_timer_ns_;  // when libcurl wants CURL_SOCKET_TIMEOUT
  std::vector<std::unique_ptr<Transfer>> transfers_;
  std::vector<Transfer*> idle_;
  std::size_t active_ = 0;
  std::size_t issued_ = 0;
  std::optional<PoissonArrivals> arrivals_;
  TimeNs next_arrival_ns_ = 0;
  std::size_t arrivals_made_ = 0;
  std::deque<TimeNs> backlog_;         // open loop: arrivals waiting for a free slot
  std::deque<TimeNs> cooldown_until_;  // closed loop: slots backing off after no connect
  std::optional<TimeNs> deadline_ns_;
  LoadRunResult result_;
};

Engine::Engine(const LoadOptions& options, const std::vector<Prompt>& prompts,
               LoadProgress& progress, std::size_t cap)
    : options_(options),
      prompts_(prompts),
      progress_(progress),
      clock_(options.clock ? options.clock : std::function<TimeNs()>(&steady_now_ns)),
      cap_(cap) {
  bodies_.reserve(prompts.size());
  for (const Prompt& prompt : prompts)
    bodies_.push_back(build_request_body(options.request, prompt));
  settings_.url = endpoint_url(options.base_url, options.request.api);
  settings_.headers = request_headers(options.api_key);
  settings_.connect_timeout_ms = static_cast<long>(options.connect_timeout.count());
  settings_.request_timeout_ms = static_cast<long>(options.request_timeout.count());
  settings_.expected_chunks = std::min(options.request.max_tokens + 2, kMaxReservedChunks);
  settings_.clock = clock_;
  settings_.output_tokens = &progress.output_tokens;
}

Engine::~Engine() {
  for (const auto& transfer : transfers_) {
    if (transfer->busy()) curl_multi_remove_handle(multi_, transfer->handle());
  }
  // Closing cached connections calls on_socket, which still needs the epoll set.
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
  transfers_.clear();
  if (epoll_fd_ >= 0) close(epoll_fd_);
  curl_slist_free_all(settings_.headers);
}

std::optional<Error> Engine::init() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return Error{std::string("epoll_create1: ") + std::strerror(errno)};
  multi_ = curl_multi_init();
  if (multi_ == nullptr) return Error{"libcurl could not create a multi handle"};
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Engine::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Engine::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  // Keep a connection per slot alive between requests (HTTP keep-alive reuse).
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(cap_));
  return std::nullopt;
}

int Engine::on_socket(CURL*, curl_socket_t fd, int what, void* self, void*) {
  const int epoll_fd = static_cast<Engine*>(self)->epoll_fd_;
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    return 0;
  }
  epoll_event event{};
  event.data.fd = fd;
  if (what & CURL_POLL_IN) event.events |= EPOLLIN;
  if (what & CURL_POLL_OUT) event.events |= EPOLLOUT;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &event) != 0 && errno == ENOENT) {
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
  }
  return 0;
}

int Engine::on_timer(CURLM*, long timeout_ms, void* self) {
  auto* engine = static_cast<Engine*>(self);
  if (timeout_ms < 0) {
    engine->curl_timer_ns_.reset();
  } else {
    engine->curl_timer_ns_ = engine->clock_() + static_cast<TimeNs>(timeout_ms) * 1'000'000;
  }
  return 0;
}

bool Engine::stop_requested() const {
  return options_.stop != nullptr && options_.stop->load(std::memory_order_relaxed);
}

bool Engine::count_reached(std::size_t made) const {
  return options_.max_requests && made >= *options_.max_requests;
}

bool Engine::past_deadline(TimeNs time_ns) const {
  return deadline_ns_ && time_ns >= *deadline_ns_;
}

bool Engine::issuing_done(TimeNs now_ns) const {
  if (closed_loop()) return count_reached(issued_) || past_deadline(now_ns);
  return backlog_.empty() && (count_reached(arrivals_made_) || past_deadline(next_arrival_ns_));
}

void Engine::fill(TimeNs now_ns) {
  if (closed_loop()) {
    fill_closed(now_ns);
  } else {
    fill_open(now_ns);
  }
}

void Engine::fill_closed(TimeNs now_ns) {
  while (!cooldown_until_.empty() && cooldown_until_.front() <= now_ns) {
    cooldown_until_.pop_front();
  }
  // Ramping up thousands of requests takes a while: Ctrl-C/SIGTERM must not wait for it.
  while (active_ + cooldown_until_.size() < cap_ && !issuing_done(now_ns) && !stop_requested()) {
    issue(now_ns, now_ns);
  }
}

void Engine::fill_open(TimeNs now_ns) {
  while (next_arrival_ns_ <= now_ns && !count_reached(arrivals_made_) &&
         !past_deadline(next_arrival_ns_)) {
    backlog_.push_back(next_arrival_ns_);
    ++arrivals_made_;
    next_arrival_ns_ += arrivals_->next_gap_ns();
  }
  while (!backlog_.empty() && active_ < cap_ && !stop_requested()) {
    issue(backlog_.front(), now_ns);
    backlog_.pop_front();
  }
}

void Engine::issue(TimeNs scheduled_ns, TimeNs now_ns) {
  const std::size_t index = result_.requests.size();
  const std::size_t prompt_index = index % prompts_.size();
  result_.requests.emplace_back();
  ++issued_;
  progress_.issued.fetch_add(1, std::memory_order_relaxed);
  Transfer* transfer = acquire();
  if (transfer == nullptr) {
    RequestRecord failed;
    failed.index = index;
    failed.prompt_index = prompt_index;
    failed.scheduled_ns = scheduled_ns;
    failed.start_ns = failed.end_ns = now_ns;
    failed.failure = FailureReason::kTransport;
    failed.error = "libcurl could not create a handle (out of memory?)";
    record(std::move(failed));
    return;
  }
  transfer->begin(index, prompt_index, bodies_[prompt_index], scheduled_ns, now_ns);
  ++active_;
  result_.max_in_flight = std::max(result_.max_in_flight, active_);
  progress_.in_flight.store(active_, std::memory_order_relaxed);
  if (curl_multi_add_handle(multi_, transfer->handle()) != CURLM_OK) {
    complete(*transfer, CURLE_FAILED_INIT, false);
  }
}

Transfer* Engine::acquire() {
  if (!idle_.empty()) {
    Transfer* transfer = idle_.back();
    idle_.pop_back();
    return transfer;
  }
  auto transfer = std::make_unique<Transfer>(settings_);
  if (transfer->handle() == nullptr) return nullptr;
  transfers_.push_back(std::move(transfer));
  return transfers_.back().get();
}

TimeNs Engine::next_wakeup(TimeNs now_ns) const {
  TimeNs wake = now_ns + kStopCheckNs;
  if (curl_timer_ns_) wake = std::min(wake, *curl_timer_ns_);
  if (deadline_ns_ && now_ns < *deadline_ns_) wake = std::min(wake, *deadline_ns_);
  if (!cooldown_until_.empty()) wake = std::min(wake, cooldown_until_.front());
  if (!closed_loop() && !issuing_done(now_ns)) wake = std::min(wake, next_arrival_ns_);
  return wake;
}

void Engine::wait(TimeNs now_ns) {
  const TimeNs wait_ns = std::max<TimeNs>(0, next_wakeup(now_ns) - now_ns);
  // Round up: a 0 ms timeout for a deadline 0.4 ms away would spin.
  const int timeout_ms = static_cast<int>((wait_ns + 999'999) / 1'000'000);
  epoll_event events[kMaxEvents];
  const int count = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  int running = 0;
  for (int i = 0; i < count; ++i) {
    int flags = 0;
    if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
    if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
    if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
    curl_multi_socket_action(multi_, events[i].data.fd, flags, &running);
  }
  if (curl_timer_ns_ && clock_() >= *curl_timer_ns_) {
    curl_timer_ns_.reset();  // the action below may set a new one
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  }
}

void Engine::reap() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    const CURLcode code = message->data.result;  // `message` dies with the handle's removal
    char* owner = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
    curl_multi_remove_handle(multi_, easy);
    complete(*reinterpret_cast<Transfer*>(owner), code, false);
  }
}

void Engine::complete(Transfer& transfer, CURLcode code, bool abandoned) {
  RequestRecord request = transfer.finish(code, abandoned, clock_());
  --active_;
  idle_.push_back(&transfer);
  progress_.in_flight.store(active_, std::memory_order_relaxed);
  if (closed_loop() && request.failure == FailureReason::kConnect) {
    cooldown_until_.push_back(request.end_ns + kConnectBackoffNs);
  }
  record(std::move(request));
}

void Engine::record(RequestRecord&& request) {
  if (request.ok()) {
    ++result_.succeeded;
    progress_.succeeded.fetch_add(1, std::memory_order_relaxed);
  } else {
    ++result_.failed;
    ++result_.failures_by_reason[failure_label(request)];
    progress_.failed.fetch_add(1, std::memory_order_relaxed);
  }
  const std::size_t index = request.index;
  result_.requests[index] = std::move(request);
}

void Engine::abandon_all() {
  for (const auto& transfer : transfers_) {
    if (!transfer->busy()) continue;
    curl_multi_remove_handle(multi_, transfer->handle());
    complete(*transfer, CURLE_OK, true);
  }
}

LoadRunResult Engine::run() {
  result_.start_ns = clock_();
  if (options_.duration) deadline_ns_ = result_.start_ns + options_.duration->count();
  if (const auto* open = std::get_if<OpenLoop>(&options_.arrivals)) {
    arrivals_.emplace(open->rate_per_s, open->seed);
    next_arrival_ns_ = result_.start_ns + arrivals_->next_gap_ns();
  }
  for (;;) {
    const TimeNs now_ns = clock_();
    if (stop_requested()) {
      abandon_all();
      result_.stopped = true;
      break;
    }
    fill(now_ns);
    if (issuing_done(now_ns)) {
      if (options_.at_end == AtEnd::kAbandonInFlight) abandon_all();
      if (active_ == 0) break;
    }
    wait(now_ns);
    reap();
  }
  result_.end_ns = clock_();
  return std::move(result_);
}

}  // namespace

TimeNs steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Expected<LoadRunResult> run_load(const LoadOptions& options, const std::vector<Prompt>& prompts,
                                 LoadProgress* progress) {
  if (auto error = check_options(options, prompts)) return *error;
  auto cap = in_flight_cap(options);
  if (!cap) return cap.error();
  init_curl_once();
  LoadProgress own_progress;
  Engine engine(options, prompts, progress != nullptr ? *progress : own_progress, *cap);
  if (auto error = engine.init()) return *error;
  return engine.run();
}

}  // namespace joulebench
