// POSIX errno values to WASI's. Some hosts give two names one value
// (EAGAIN and EWOULDBLOCK, ENOTSUP and EOPNOTSUPP), so this is a table
// searched in order rather than a switch.
#include <cerrno>
#include <utility>

#include "runtime/wasi/abi.h"

namespace rivet::wasi {
namespace {

constexpr std::pair<int, Errno> kErrnos[] = {
    {0, kSuccess},
    {E2BIG, k2big},
    {EACCES, kAcces},
    {EADDRINUSE, kAddrinuse},
    {EADDRNOTAVAIL, kAddrnotavail},
    {EAFNOSUPPORT, kAfnosupport},
    {EAGAIN, kAgain},
    {EWOULDBLOCK, kAgain},
    {EALREADY, kAlready},
    {EBADF, kBadf},
    {EBADMSG, kBadmsg},
    {EBUSY, kBusy},
    {ECANCELED, kCanceled},
    {ECHILD, kChild},
    {ECONNABORTED, kConnaborted},
    {ECONNREFUSED, kConnrefused},
    {ECONNRESET, kConnreset},
    {EDEADLK, kDeadlk},
    {EDESTADDRREQ, kDestaddrreq},
    {EDOM, kDom},
    {EDQUOT, kDquot},
    {EEXIST, kExist},
    {EFAULT, kFault},
    {EFBIG, kFbig},
    {EHOSTUNREACH, kHostunreach},
    {EIDRM, kIdrm},
    {EILSEQ, kIlseq},
    {EINPROGRESS, kInprogress},
    {EINTR, kIntr},
    {EINVAL, kInval},
    {EIO, kIo},
    {EISCONN, kIsconn},
    {EISDIR, kIsdir},
    {ELOOP, kLoop},
    {EMFILE, kMfile},
    {EMLINK, kMlink},
    {EMSGSIZE, kMsgsize},
    {EMULTIHOP, kMultihop},
    {ENAMETOOLONG, kNametoolong},
    {ENETDOWN, kNetdown},
    {ENETRESET, kNetreset},
    {ENETUNREACH, kNetunreach},
    {ENFILE, kNfile},
    {ENOBUFS, kNobufs},
    {ENODEV, kNodev},
    {ENOENT, kNoent},
    {ENOEXEC, kNoexec},
    {ENOLCK, kNolck},
    {ENOLINK, kNolink},
    {ENOMEM, kNomem},
    {ENOMSG, kNomsg},
    {ENOPROTOOPT, kNoprotoopt},
    {ENOSPC, kNospc},
    {ENOSYS, kNosys},
    {ENOTCONN, kNotconn},
    {ENOTDIR, kNotdir},
    {ENOTEMPTY, kNotempty},
    {ENOTRECOVERABLE, kNotrecoverable},
    {ENOTSOCK, kNotsock},
    {ENOTSUP, kNotsup},
    {EOPNOTSUPP, kNotsup},
    {ENOTTY, kNotty},
    {ENXIO, kNxio},
    {EOVERFLOW, kOverflow},
    {EOWNERDEAD, kOwnerdead},
    {EPERM, kPerm},
    {EPIPE, kPipe},
    {EPROTO, kProto},
    {EPROTONOSUPPORT, kProtonosupport},
    {EPROTOTYPE, kPrototype},
    {ERANGE, kRange},
    {EROFS, kRofs},
    {ESPIPE, kSpipe},
    {ESRCH, kSrch},
    {ESTALE, kStale},
    {ETIMEDOUT, kTimedout},
    {ETXTBSY, kTxtbsy},
    {EXDEV, kXdev},
};

}  // namespace

Errno ErrnoFromPosix(int posix_errno) {
  for (const auto& [posix, wasi] : kErrnos) {
    if (posix == posix_errno) return wasi;
  }
  return kIo;
}

}  // namespace rivet::wasi
