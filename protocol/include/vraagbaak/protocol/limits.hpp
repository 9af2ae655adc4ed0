#pragma once
// Protocol-level limits. They are part of the wire contract (PROTOCOL.md lists them): a client
// that stays within them is never refused for size. Server-side limits such as the maximum
// frame size are configured per deployment and announced in the `hello` reply.

#include <cstddef>
#include <cstdint>

namespace vraagbaak::protocol {

inline constexpr int kProtocolVersion = 1;

inline constexpr std::size_t kMaxRequestIdBytes = 64;
inline constexpr std::size_t kMaxJsonDepth = 16;
inline constexpr std::size_t kMaxClientNameChars = 100;
inline constexpr std::size_t kMinHandleChars = 2;
inline constexpr std::size_t kMaxHandleChars = 32;
inline constexpr std::size_t kMaxPasswordBytes = 1024;
inline constexpr std::size_t kMaxDisplayNameChars = 80;
inline constexpr std::size_t kMaxRoomNameChars = 64;
inline constexpr std::size_t kMaxTopicChars = 500;
inline constexpr std::size_t kMaxBodyChars = 8000;
inline constexpr int kDefaultHistoryLimit = 50;
inline constexpr int kMaxHistoryLimit = 200;
inline constexpr std::size_t kMaxVersionsOffered = 16;
inline constexpr std::size_t kMaxTokenBytes = 128;
inline constexpr std::size_t kMaxClientMsgIdBytes = 64;
inline constexpr std::size_t kMaxTitleChars = 160;
inline constexpr std::size_t kMaxTags = 8;
inline constexpr std::size_t kMaxTagChars = 40;
inline constexpr std::size_t kMaxOutcomeChars = 2000;
inline constexpr std::size_t kMaxQueryChars = 200;
inline constexpr int kMaxListLimit = 100;
inline constexpr std::size_t kMaxResumeCursors = 1000;
inline constexpr std::size_t kMaxInviteBytes = 128;
inline constexpr std::size_t kMinPasswordBytes = 10;
inline constexpr std::size_t kMaxReasonChars = 500;
inline constexpr int kMaxInviteUses = 1000;
inline constexpr int kMaxInviteHours = 24 * 90;
inline constexpr std::int64_t kMaxMuteSeconds = 366LL * 24 * 3600;
inline constexpr std::int64_t kMaxSlowModeSeconds = 3600;
inline constexpr int kMaxAuditLimit = 200;
inline constexpr std::int64_t kMaxRetentionDays = 3650;
inline constexpr std::int64_t kMaxSessionMinutes = 8 * 60;
inline constexpr std::size_t kMaxAgendaCases = 10;
inline constexpr std::int64_t kMaxExtendSeconds = 3600;

}  // namespace vraagbaak::protocol
