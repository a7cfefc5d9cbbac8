// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>

namespace aioevt {

/*!
    How often a subscription runs. \c Recurring runs on every emission until it is
    unregistered; \c Once runs for exactly one emission and then removes itself.
    Both \c aioevt::Once and \c aioevt::Recurrence::Once are valid spellings.
*/
enum Recurrence : unsigned char {
    Recurring,
    Once,
};

/*! The timeout value that means "wait without a time limit". Any negative timeout does. */
inline constexpr std::chrono::milliseconds Forever{-1};

} // namespace aioevt
