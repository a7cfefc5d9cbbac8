// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <new>

namespace aioevt::detail {

/*
    Recycles fixed-size blocks that one thread allocates and another frees: an emission is
    made on the emitting thread and freed on a target thread, which costs glibc its slow
    cross-thread path on both sides. Each thread keeps a magazine of free blocks; full
    magazines travel between threads through one mutex, taken once per kMagazine blocks.
    Larger requests go to operator new.
*/
class BlockPool
{
public:
    static constexpr std::size_t kBlockSize = 256;
    static void *allocate(std::size_t size);
    static void deallocate(void *block, std::size_t size) noexcept;
};

/* For std::allocate_shared: the control block and the object in one pooled block. */
template<typename T> struct PoolAllocator
{
    using value_type = T;
    PoolAllocator() = default;
    template<typename U> PoolAllocator(const PoolAllocator<U> &) noexcept { }
    T *allocate(std::size_t n) { return static_cast<T *>(BlockPool::allocate(n * sizeof(T))); }
    void deallocate(T *p, std::size_t n) noexcept { BlockPool::deallocate(p, n * sizeof(T)); }
    template<typename U> bool operator==(const PoolAllocator<U> &) const noexcept { return true; }
    template<typename U> bool operator!=(const PoolAllocator<U> &) const noexcept { return false; }
};

} // namespace aioevt::detail
