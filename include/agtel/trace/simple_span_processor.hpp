// Exports each span synchronously inside span::end(), on the caller's thread. For tests
// and debugging only: it blocks the application on the exporter. Use the batch processor
// in production.
#pragma once

#include <memory>

#include "agtel/export/span_exporter.hpp"
#include "agtel/trace/span_processor.hpp"

namespace agtel::trace {

std::unique_ptr<span_processor> make_simple_span_processor(
    std::unique_ptr<exporter::span_exporter> exporter,
    std::chrono::milliseconds export_timeout = std::chrono::seconds(30));

}  // namespace agtel::trace
