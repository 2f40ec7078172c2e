/*
 * POSIX record locks: classic (owned by the process, F_SETLK...) and open-file-description locks
 * (owned by the open file, F_OFD_SETLK..., Linux >= 3.15). Lock type codes from JS: 0 read,
 * 1 write, 2 unlock.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static bool lock_args(napi_env env, napi_value *argv, int32_t *fd, short *type, bool *ofd, int64_t *start,
                      int64_t *len) {
  int32_t code;
  if (!shmkit_arg_int32(env, argv[0], "fd", fd) || !shmkit_arg_int32(env, argv[1], "type", &code) ||
      !shmkit_arg_bool(env, argv[2], "ofd", ofd) || !shmkit_arg_int64(env, argv[3], "start", start) ||
      !shmkit_arg_int64(env, argv[4], "len", len))
    return false;
  switch (code) {
    case 0:
      *type = F_RDLCK;
      break;
    case 1:
      *type = F_WRLCK;
      break;
    case 2:
      *type = F_UNLCK;
      break;
    default:
      shmkit_throw_range(env, "lock type must be read, write or unlock");
      return false;
  }
  if (*start < 0 || *len < 0) {
    shmkit_throw_range(env, "start and len must not be negative");
    return false;
  }
  return true;
}

static struct flock make_flock(short type, int64_t start, int64_t len) {
  struct flock fl;
  memset(&fl, 0, sizeof fl); /* l_pid must be 0 for OFD locks */
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = (off_t)start;
  fl.l_len = (off_t)len;
  return fl;
}

static bool is_conflict(int err) { return err == EAGAIN || err == EACCES; }

/*
 * Tries F_SETLK until it succeeds, the deadline passes or the wait is cancelled, pausing with a
 * growing backoff (20 us .. 2 ms) between attempts. Returns 0 and sets *outcome, or an errno. Used
 * by the synchronous wait with a timeout (no signal may target the JavaScript thread), and by async
 * waits when the interrupt signal is unavailable.
 */
static int lock_polling(int fd, int cmd, struct flock fl, bool has_deadline, int64_t deadline_ns,
                        shmkit_async_wait *cancel, const char **outcome) {
  int64_t backoff = 20000;
  for (;;) {
    if (shmkit_wait_cancelled(cancel)) {
      *outcome = "cancelled";
      return 0;
    }
    struct flock attempt = fl;
    if (fcntl(fd, cmd, &attempt) == 0) {
      *outcome = "locked";
      return 0;
    }
    if (!is_conflict(errno) && errno != EINTR) return errno;
    int64_t pause = backoff;
    if (has_deadline) {
      int64_t left = deadline_ns - shmkit_now_ns();
      if (left <= 0) {
        *outcome = "timed-out";
        return 0;
      }
      if (left < pause) pause = left;
    }
    shmkit_wait_pause(cancel, pause);
    if (backoff < 2000000) backoff *= 2;
  }
}

/* fcntlLock(fd, type, ofd, start, len, wait, timeoutMs?) -> boolean */
napi_value shmkit_fcntl_lock(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 7);
  if (argc < 6) return shmkit_throw_type(env, "fcntlLock(fd, type, ofd, start, len, wait, timeoutMs?)");
  int32_t fd;
  short type;
  bool ofd, wait, has_timeout;
  int64_t start, len, timeout_ns;
  if (!lock_args(env, argv, &fd, &type, &ofd, &start, &len) || !shmkit_arg_bool(env, argv[5], "wait", &wait) ||
      !shmkit_arg_timeout(env, argc > 6 ? argv[6] : NULL, &has_timeout, &timeout_ns))
    return NULL;
  struct flock fl = make_flock(type, start, len);
  bool acquired;
  if (!wait || type == F_UNLCK) {
    int rc;
    do rc = fcntl(fd, ofd ? F_OFD_SETLK : F_SETLK, &fl);
    while (rc != 0 && errno == EINTR);
    if (rc != 0 && !is_conflict(errno)) return shmkit_throw_sys(env, "fcntl", errno);
    acquired = rc == 0;
  } else if (!has_timeout) {
    int rc;
    do rc = fcntl(fd, ofd ? F_OFD_SETLKW : F_SETLKW, &fl);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) return shmkit_throw_sys(env, "fcntl", errno);
    acquired = true;
  } else {
    const char *outcome = NULL;
    int err = lock_polling(fd, ofd ? F_OFD_SETLK : F_SETLK, fl, true, shmkit_now_ns() + timeout_ns, NULL, &outcome);
    if (err != 0) return shmkit_throw_sys(env, "fcntl", err);
    acquired = strcmp(outcome, "locked") == 0;
  }
  napi_value v;
  NAPI_TRY(env, napi_get_boolean(env, acquired, &v));
  return v;
}

/* fcntlGetLock(fd, type, ofd, start, len) -> null | { type, pid, start, len } */
napi_value shmkit_fcntl_get_lock(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 5);
  if (argc < 5) return shmkit_throw_type(env, "fcntlGetLock(fd, type, ofd, start, len)");
  int32_t fd;
  short type;
  bool ofd;
  int64_t start, len;
  if (!lock_args(env, argv, &fd, &type, &ofd, &start, &len)) return NULL;
  if (type == F_UNLCK) return shmkit_throw_range(env, "F_GETLK needs a read or write lock type to test");
  struct flock fl = make_flock(type, start, len);
  if (fcntl(fd, ofd ? F_OFD_GETLK : F_GETLK, &fl) != 0) return shmkit_throw_sys(env, "fcntl", errno);
  napi_value result;
  if (fl.l_type == F_UNLCK) {
    NAPI_TRY(env, napi_get_null(env, &result));
    return result;
  }
  napi_value type_name;
  NAPI_TRY(env, napi_create_object(env, &result));
  NAPI_TRY(env, napi_create_string_utf8(env, fl.l_type == F_RDLCK ? "read" : "write", NAPI_AUTO_LENGTH, &type_name));
  NAPI_TRY(env, napi_set_named_property(env, result, "type", type_name));
  if (!shmkit_set_number(env, result, "pid", (double)fl.l_pid) || !shmkit_set_number(env, result, "start", (double)fl.l_start) ||
      !shmkit_set_number(env, result, "len", (double)fl.l_len)) {
    shmkit_throw_last_napi_error(env, "napi_set_named_property");
    return NULL;
  }
  return result;
}

/*
 * Blocks in F_SETLKW / F_OFD_SETLKW until the lock is granted, the wait is cancelled or its deadline
 * passes; the last two interrupt the call with a signal (lock_interrupt.c), after which the cancel
 * word and the deadline are checked again. A lock granted together with a cancel stays 'locked'.
 */
static int lock_blocking(shmkit_async_wait *w, int cmd, struct flock fl, const char **outcome) {
  for (;;) {
    if (shmkit_wait_cancelled(w)) {
      *outcome = "cancelled";
      return 0;
    }
    if (w->has_deadline && shmkit_now_ns() >= w->deadline_ns) {
      *outcome = "timed-out";
      return 0;
    }
    struct flock attempt = fl;
    if (fcntl(w->fd, cmd, &attempt) == 0) {
      *outcome = "locked";
      return 0;
    }
    if (errno != EINTR) return errno;
  }
}

static void lock_thread(shmkit_async_wait *w) {
  struct flock fl = make_flock((short)w->lock_type, w->lock_start, w->lock_len);
  int try_cmd = w->lock_ofd ? F_OFD_SETLK : F_SETLK;
  /* One non-blocking attempt first: a free lock needs no timer. */
  if (shmkit_wait_cancelled(w)) {
    w->result = "cancelled";
    return;
  }
  struct flock attempt = fl;
  if (fcntl(w->fd, try_cmd, &attempt) == 0) {
    w->result = "locked";
    return;
  }
  if (!is_conflict(errno) && errno != EINTR) {
    w->error = errno;
    return;
  }
  if (w->has_deadline && shmkit_now_ns() >= w->deadline_ns) {
    w->result = "timed-out";
    return;
  }
  if (!shmkit_interrupt_begin(w)) {
    w->error = lock_polling(w->fd, try_cmd, fl, w->has_deadline, w->deadline_ns, w, &w->result);
    return;
  }
  w->error = lock_blocking(w, w->lock_ofd ? F_OFD_SETLKW : F_SETLKW, fl, &w->result);
  shmkit_interrupt_end(w);
}

/* fcntlLockAsync(fd, type, ofd, start, len, timeoutMs?) -> [promise, handle] */
napi_value shmkit_fcntl_lock_async(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 6);
  if (argc < 5) return shmkit_throw_type(env, "fcntlLockAsync(fd, type, ofd, start, len, timeoutMs?)");
  int32_t fd;
  short type;
  bool ofd, has_timeout;
  int64_t start, len, timeout_ns;
  if (!lock_args(env, argv, &fd, &type, &ofd, &start, &len) ||
      !shmkit_arg_timeout(env, argc > 5 ? argv[5] : NULL, &has_timeout, &timeout_ns))
    return NULL;
  if (type == F_UNLCK) return shmkit_throw_range(env, "fcntlLockAsync needs a read or write lock type");
  shmkit_async_wait *w = shmkit_wait_new();
  if (w == NULL) return shmkit_throw_sys(env, "calloc", ENOMEM);
  w->run = lock_thread;
  w->syscall_name = "fcntl";
  w->fd = fd;
  w->lock_ofd = ofd;
  w->lock_type = type;
  w->lock_start = start;
  w->lock_len = len;
  w->has_deadline = has_timeout;
  w->deadline_ns = has_timeout ? shmkit_now_ns() + timeout_ns : 0;
  return shmkit_wait_start(env, w, NULL, "shmkit.fcntlLockAsync");
}
