// The WASI preview 1 ABI (wasi_snapshot_preview1): error numbers, flags,
// rights and the layout of the structures passed through linear memory, as
// the witx definitions give them. Internal to runtime/wasi/.
#ifndef RIVET_RUNTIME_WASI_ABI_H_
#define RIVET_RUNTIME_WASI_ABI_H_

#include <cstdint>

namespace rivet::wasi {

// errno: what every WASI function returns (0 is success).
enum Errno : uint16_t {
  kSuccess = 0,
  k2big = 1,
  kAcces = 2,
  kAddrinuse = 3,
  kAddrnotavail = 4,
  kAfnosupport = 5,
  kAgain = 6,
  kAlready = 7,
  kBadf = 8,
  kBadmsg = 9,
  kBusy = 10,
  kCanceled = 11,
  kChild = 12,
  kConnaborted = 13,
  kConnrefused = 14,
  kConnreset = 15,
  kDeadlk = 16,
  kDestaddrreq = 17,
  kDom = 18,
  kDquot = 19,
  kExist = 20,
  kFault = 21,
  kFbig = 22,
  kHostunreach = 23,
  kIdrm = 24,
  kIlseq = 25,
  kInprogress = 26,
  kIntr = 27,
  kInval = 28,
  kIo = 29,
  kIsconn = 30,
  kIsdir = 31,
  kLoop = 32,
  kMfile = 33,
  kMlink = 34,
  kMsgsize = 35,
  kMultihop = 36,
  kNametoolong = 37,
  kNetdown = 38,
  kNetreset = 39,
  kNetunreach = 40,
  kNfile = 41,
  kNobufs = 42,
  kNodev = 43,
  kNoent = 44,
  kNoexec = 45,
  kNolck = 46,
  kNolink = 47,
  kNomem = 48,
  kNomsg = 49,
  kNoprotoopt = 50,
  kNospc = 51,
  kNosys = 52,
  kNotconn = 53,
  kNotdir = 54,
  kNotempty = 55,
  kNotrecoverable = 56,
  kNotsock = 57,
  kNotsup = 58,
  kNotty = 59,
  kNxio = 60,
  kOverflow = 61,
  kOwnerdead = 62,
  kPerm = 63,
  kPipe = 64,
  kProto = 65,
  kProtonosupport = 66,
  kPrototype = 67,
  kRange = 68,
  kRofs = 69,
  kSpipe = 70,
  kSrch = 71,
  kStale = 72,
  kTimedout = 73,
  kTxtbsy = 74,
  kXdev = 75,
  kNotcapable = 76,
};

// The WASI errno for a host (POSIX) errno value; kIo for one WASI lacks.
Errno ErrnoFromPosix(int posix_errno);

// filetype
enum Filetype : uint8_t {
  kFiletypeUnknown = 0,
  kFiletypeBlockDevice = 1,
  kFiletypeCharacterDevice = 2,
  kFiletypeDirectory = 3,
  kFiletypeRegularFile = 4,
  kFiletypeSocketDgram = 5,
  kFiletypeSocketStream = 6,
  kFiletypeSymbolicLink = 7,
};

// clockid
inline constexpr uint32_t kClockRealtime = 0;
inline constexpr uint32_t kClockMonotonic = 1;
inline constexpr uint32_t kClockProcessCputime = 2;
inline constexpr uint32_t kClockThreadCputime = 3;

// whence
inline constexpr uint8_t kWhenceSet = 0;
inline constexpr uint8_t kWhenceCur = 1;
inline constexpr uint8_t kWhenceEnd = 2;

// advice
inline constexpr uint8_t kAdviceNoreuse = 5;  // the largest valid value

// fdflags
inline constexpr uint16_t kFdflagAppend = 1 << 0;
inline constexpr uint16_t kFdflagDsync = 1 << 1;
inline constexpr uint16_t kFdflagNonblock = 1 << 2;
inline constexpr uint16_t kFdflagRsync = 1 << 3;
inline constexpr uint16_t kFdflagSync = 1 << 4;

// oflags
inline constexpr uint16_t kOflagCreat = 1 << 0;
inline constexpr uint16_t kOflagDirectory = 1 << 1;
inline constexpr uint16_t kOflagExcl = 1 << 2;
inline constexpr uint16_t kOflagTrunc = 1 << 3;

// lookupflags
inline constexpr uint32_t kLookupSymlinkFollow = 1 << 0;

// fstflags
inline constexpr uint16_t kFstflagAtim = 1 << 0;
inline constexpr uint16_t kFstflagAtimNow = 1 << 1;
inline constexpr uint16_t kFstflagMtim = 1 << 2;
inline constexpr uint16_t kFstflagMtimNow = 1 << 3;

// eventtype
inline constexpr uint8_t kEventtypeClock = 0;
inline constexpr uint8_t kEventtypeFdRead = 1;
inline constexpr uint8_t kEventtypeFdWrite = 2;

// subclockflags, eventrwflags
inline constexpr uint16_t kSubclockAbstime = 1 << 0;
inline constexpr uint16_t kEventFdReadwriteHangup = 1 << 0;

// riflags, roflags, sdflags
inline constexpr uint16_t kRiflagRecvPeek = 1 << 0;
inline constexpr uint16_t kRiflagRecvWaitall = 1 << 1;
inline constexpr uint16_t kRoflagRecvDataTruncated = 1 << 0;
inline constexpr uint8_t kSdflagRd = 1 << 0;
inline constexpr uint8_t kSdflagWr = 1 << 1;

// preopentype
inline constexpr uint8_t kPreopentypeDir = 0;

// rights
using Rights = uint64_t;
inline constexpr Rights kRightFdDatasync = 1ull << 0;
inline constexpr Rights kRightFdRead = 1ull << 1;
inline constexpr Rights kRightFdSeek = 1ull << 2;
inline constexpr Rights kRightFdFdstatSetFlags = 1ull << 3;
inline constexpr Rights kRightFdSync = 1ull << 4;
inline constexpr Rights kRightFdTell = 1ull << 5;
inline constexpr Rights kRightFdWrite = 1ull << 6;
inline constexpr Rights kRightFdAdvise = 1ull << 7;
inline constexpr Rights kRightFdAllocate = 1ull << 8;
inline constexpr Rights kRightPathCreateDirectory = 1ull << 9;
inline constexpr Rights kRightPathCreateFile = 1ull << 10;
inline constexpr Rights kRightPathLinkSource = 1ull << 11;
inline constexpr Rights kRightPathLinkTarget = 1ull << 12;
inline constexpr Rights kRightPathOpen = 1ull << 13;
inline constexpr Rights kRightFdReaddir = 1ull << 14;
inline constexpr Rights kRightPathReadlink = 1ull << 15;
inline constexpr Rights kRightPathRenameSource = 1ull << 16;
inline constexpr Rights kRightPathRenameTarget = 1ull << 17;
inline constexpr Rights kRightPathFilestatGet = 1ull << 18;
inline constexpr Rights kRightPathFilestatSetSize = 1ull << 19;
inline constexpr Rights kRightPathFilestatSetTimes = 1ull << 20;
inline constexpr Rights kRightFdFilestatGet = 1ull << 21;
inline constexpr Rights kRightFdFilestatSetSize = 1ull << 22;
inline constexpr Rights kRightFdFilestatSetTimes = 1ull << 23;
inline constexpr Rights kRightPathSymlink = 1ull << 24;
inline constexpr Rights kRightPathRemoveDirectory = 1ull << 25;
inline constexpr Rights kRightPathUnlinkFile = 1ull << 26;
inline constexpr Rights kRightPollFdReadwrite = 1ull << 27;
inline constexpr Rights kRightSockShutdown = 1ull << 28;
inline constexpr Rights kRightSockAccept = 1ull << 29;
inline constexpr Rights kRightsAll = (1ull << 30) - 1;

// What each kind of descriptor can do at most (an fd's rights are further
// narrowed by the rights its opener asked for).
inline constexpr Rights kRightsRegularFile =
    kRightFdDatasync | kRightFdRead | kRightFdSeek | kRightFdFdstatSetFlags | kRightFdSync |
    kRightFdTell | kRightFdWrite | kRightFdAdvise | kRightFdAllocate | kRightFdFilestatGet |
    kRightFdFilestatSetSize | kRightFdFilestatSetTimes | kRightPollFdReadwrite;
inline constexpr Rights kRightsDirectory =
    kRightFdFdstatSetFlags | kRightFdSync | kRightFdAdvise | kRightPathCreateDirectory |
    kRightPathCreateFile | kRightPathLinkSource | kRightPathLinkTarget | kRightPathOpen |
    kRightFdReaddir | kRightPathReadlink | kRightPathRenameSource | kRightPathRenameTarget |
    kRightPathFilestatGet | kRightPathFilestatSetSize | kRightPathFilestatSetTimes |
    kRightFdFilestatGet | kRightFdFilestatSetTimes | kRightPathSymlink |
    kRightPathRemoveDirectory | kRightPathUnlinkFile | kRightPollFdReadwrite;
inline constexpr Rights kRightsDirectoryInheriting = kRightsDirectory | kRightsRegularFile;
// Terminals, pipes and other streams: no seeking (wasi-libc's isatty()
// requires a character device without seek and tell rights).
inline constexpr Rights kRightsStream = kRightFdRead | kRightFdFdstatSetFlags | kRightFdWrite |
                                        kRightFdFilestatGet | kRightPollFdReadwrite |
                                        kRightFdSync | kRightFdDatasync | kRightFdAdvise;
inline constexpr Rights kRightsSocket = kRightsStream | kRightSockShutdown | kRightSockAccept;

// Structure sizes and field offsets in linear memory.
inline constexpr uint32_t kIovecSize = 8;  // buf u32 @0, buf_len u32 @4
inline constexpr uint32_t kFdstatSize = 24;
inline constexpr uint32_t kFdstatFiletype = 0;  // u8
inline constexpr uint32_t kFdstatFlags = 2;     // u16
inline constexpr uint32_t kFdstatRightsBase = 8;
inline constexpr uint32_t kFdstatRightsInheriting = 16;
inline constexpr uint32_t kFilestatSize = 64;  // dev, ino, filetype(u8 @16), nlink @24,
                                               // size @32, atim @40, mtim @48, ctim @56
inline constexpr uint32_t kDirentSize = 24;  // d_next u64 @0, d_ino u64 @8,
                                             // d_namlen u32 @16, d_type u8 @20
inline constexpr uint32_t kPrestatSize = 8;  // tag u8 @0, pr_name_len u32 @4
inline constexpr uint32_t kSubscriptionSize = 48;  // userdata u64 @0, tag u8 @8, then
                                                   // clock: id u32 @16, timeout u64 @24,
                                                   // precision u64 @32, flags u16 @40;
                                                   // fd_read/fd_write: fd u32 @16
inline constexpr uint32_t kEventSize = 32;  // userdata u64 @0, error u16 @8, type u8 @10,
                                            // nbytes u64 @16, flags u16 @24

}  // namespace rivet::wasi

#endif  // RIVET_RUNTIME_WASI_ABI_H_
