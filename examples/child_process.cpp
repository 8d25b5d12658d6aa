// Child processes: the parent puts its context into the child's environment (TRACEPARENT,
// TRACESTATE, BAGGAGE, as the OpenTelemetry spec for environment carriers says); the child
// extracts it at start-up, so its spans continue the parent's trace. Both print their trace
// id, and both print their spans: the child's span shows "↳ remote parent <id>".
//
// The example re-executes itself with "--child" to play both roles.
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/export/console_span_exporter.hpp"
#include "agtel/propagation/carriers.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

std::shared_ptr<agtel::trace::tracer_provider> make_provider(const char* service) {
  agtel::resource app;
  app.attributes.set("service.name", service);
  agtel::trace::tracer_provider_options options;
  options.resource = agtel::resource::sdk_default().merge(app);
  options.processors.push_back(std::make_unique<agtel::trace::batch_span_processor>(
      agtel::exporter::make_console_span_exporter()));
  return std::make_shared<agtel::trace::tracer_provider>(std::move(options));
}

int run_child() {
  auto provider = make_provider("child_process_example.child");
  // Once, at start-up: the parent's context becomes this process's current context.
  auto scope = agtel::propagation::extract_from_env().attach();
  {
    auto span = provider->get_tracer("child").start_span("execute_tool index_repo");
    std::printf("child:  trace %s\n", span.context().trace_id().to_hex().c_str());
    std::fflush(stdout);
  }
  provider->shutdown();
  return 0;
}

int run_parent() {
  auto provider = make_provider("child_process_example");
  int status = -1;
  {
    auto span = provider->get_tracer("parent").start_span("invoke_agent coder");
    auto active = span.activate();

    // This process's environment plus the current context. Stale TRACEPARENT values this
    // process may have inherited are replaced, never passed through.
    std::vector<std::string> env = agtel::propagation::child_environment();
    std::vector<char*> envp;
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);

    // /proc/self/exe rather than argv[0]: argv[0] need not be a path to this program.
    char child_flag[] = "--child";
    char program[] = "child_process";
    char* argv[] = {program, child_flag, nullptr};
    pid_t pid;
    if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv, envp.data()) != 0) {
      std::perror("posix_spawn");
      return 1;
    }
    waitpid(pid, &status, 0);
    span.set_attribute("process.exit.code", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    std::printf("parent: trace %s\n", span.context().trace_id().to_hex().c_str());
    std::fflush(stdout);
  }
  provider->shutdown();
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "--child") return run_child();
  return run_parent();
}
