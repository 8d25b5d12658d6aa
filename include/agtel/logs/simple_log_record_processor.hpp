// Exports each record synchronously inside logger::emit, on the caller's thread. For tests
// and debugging only: it blocks the application on the exporter. Use the batch processor
// in production.
#pragma once

#include <chrono>
#include <memory>

#include "agtel/logs/log_record_exporter.hpp"
#include "agtel/logs/log_record_processor.hpp"

namespace agtel::logs {

std::unique_ptr<log_record_processor> make_simple_log_record_processor(
    std::unique_ptr<log_record_exporter> exporter,
    std::chrono::milliseconds export_timeout = std::chrono::seconds(30));

}  // namespace agtel::logs
