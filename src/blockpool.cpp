// SPDX-License-Identifier: MIT
#include "blockpool_p.h"

#include <QtCore/qmutex.h>

#include <cstdlib>
#include <vector>

namespace aioevt::detail {

namespace {

constexpr std::size_t kMagazine = 64; // blocks handed between threads at once
constexpr std::size_t kMaxSpare = 64; // full magazines kept; beyond, blocks are freed

using Magazine = std::vector<void *>;

struct Depot
{
    QMutex mutex;
    std::vector<Magazine> full;
};

Depot &depot()
{
    static Depot *d = new Depot; // never destroyed: threads may free blocks during exit
    return *d;
}

void releaseAll(Magazine &magazine)
{
    for (void *block : magazine)
        ::operator delete(block);
    magazine.clear();
}

// Whether this thread's Local exists. Trivially destructible, so it can still be read
// after Local is gone: Qt ends adopted threads (and may drop their deliveries) after the
// C++ thread_local destructors have run.
enum class LocalState : unsigned char { Unused, Alive, Gone };
thread_local LocalState t_state = LocalState::Unused;

/* A thread's own blocks: one magazine to allocate from, one that collects frees. */
struct Local
{
    Magazine ready;
    Magazine freed;
    Local() { t_state = LocalState::Alive; }
    ~Local()
    {
        t_state = LocalState::Gone;
        releaseAll(ready);
        releaseAll(freed);
    }
};

thread_local Local t_local;

} // namespace

void *BlockPool::allocate(std::size_t size)
{
    if (size > kBlockSize || t_state == LocalState::Gone)
        return ::operator new(size > kBlockSize ? size : kBlockSize);
    Local &local = t_local;
    if (local.ready.empty()) {
        if (local.freed.size() >= kMagazine / 2) {
            local.ready.swap(local.freed); // this thread frees too: reuse its own
        } else {
            Depot &d = depot();
            QMutexLocker lock(&d.mutex);
            if (!d.full.empty()) {
                local.ready.swap(d.full.back());
                d.full.pop_back();
            }
        }
    }
    if (local.ready.empty())
        return ::operator new(kBlockSize);
    void *block = local.ready.back();
    local.ready.pop_back();
    return block;
}

void BlockPool::deallocate(void *block, std::size_t size) noexcept
{
    if (size > kBlockSize || t_state == LocalState::Gone) {
        ::operator delete(block);
        return;
    }
    Local &local = t_local;
    if (local.freed.capacity() < kMagazine)
        local.freed.reserve(kMagazine);
    local.freed.push_back(block);
    if (local.freed.size() < kMagazine)
        return;
    Magazine full;
    full.swap(local.freed);
    Depot &d = depot();
    QMutexLocker lock(&d.mutex);
    if (d.full.size() < kMaxSpare)
        d.full.push_back(std::move(full));
    else
        releaseAll(full);
}

} // namespace aioevt::detail
