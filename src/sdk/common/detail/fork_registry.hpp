// Every live object of one kind that owns a background thread (batch processors, periodic
// metric readers), so that fork() can keep their locks consistent and the child can start
// its own threads.
//
// `Hooks` says what fork does to them; each runs with the registry locked, so no object is
// added or removed meanwhile:
//
//   struct hooks {
//     static void prepare(const std::vector<T*>&);  // before fork: take every lock
//     static void parent(const std::vector<T*>&);   // after fork, in the parent: release
//     static void child(const std::vector<T*>&);    // after fork, in the child: start afresh
//   };
//
// The registry is created (and the pthread_atfork handlers installed) on first use, and
// leaked: fork handlers may run during exit.
#pragma once

#include <pthread.h>

#include <mutex>
#include <vector>

namespace agtel::detail {

template <class T, class Hooks>
class fork_registry {
 public:
  // Registers `item`, and runs `start` (which starts its thread) under the registry's lock:
  // no fork() sees the item registered with its thread half-started.
  template <class Start>
  static void add(T* item, Start&& start) {
    auto& r = get();
    std::lock_guard lock(r.mutex_);
    r.items_.push_back(item);
    start();
  }

  static void remove(T* item) noexcept {
    auto& r = get();
    std::lock_guard lock(r.mutex_);
    std::erase(r.items_, item);
  }

 private:
  static fork_registry& get() {
    static fork_registry* r = [] {
      auto* reg = new fork_registry;
      pthread_atfork(prepare, parent, child);
      return reg;
    }();
    return *r;
  }
  static void prepare() {
    get().mutex_.lock();
    Hooks::prepare(get().items_);
  }
  static void parent() {
    Hooks::parent(get().items_);
    get().mutex_.unlock();
  }
  static void child() {
    Hooks::child(get().items_);
    get().mutex_.unlock();
  }

  std::mutex mutex_;
  std::vector<T*> items_;
};

}  // namespace agtel::detail
