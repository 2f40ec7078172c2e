/*
 * futex wait / wake on a 32-bit word inside shared memory. Never FUTEX_PRIVATE_FLAG on the user's
 * word: the waiter and the waker are usually different processes.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449 /* the same number on every architecture that has it */
#endif
#ifndef FUTEX_32
#define FUTEX_32 2
#endif

/* Same layout as the kernel's struct futex_waitv (declared here for older headers). */
struct shmkit_futex_waitv {
  uint64_t val;
  uint64_t uaddr;
  uint32_t flags;
  uint32_t reserved;
};

static napi_value string_result(napi_env env, const char *s) {
  napi_value v;
  NAPI_TRY(env, napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v));
  return v;
}

/* The arguments shared by futexWait and futexWaitAsync: (view, index, expected, timeoutMs?). */
typedef struct {
  uint32_t *addr;
  napi_value arraybuffer;
  uint32_t expected;
  bool has_timeout;
  int64_t timeout_ns;
} wait_args;

static bool parse_wait_args(napi_env env, napi_value *argv, size_t argc, const char *usage, wait_args *out) {
  if (argc < 3) {
    shmkit_throw_type(env, usage);
    return false;
  }
  int32_t expected;
  if (!shmkit_arg_futex_word(env, argv[0], argv[1], &out->addr, &out->arraybuffer) ||
      !shmkit_arg_int32(env, argv[2], "expected", &expected) ||
      !shmkit_arg_timeout(env, argc > 3 ? argv[3] : NULL, &out->has_timeout, &out->timeout_ns))
    return false;
  out->expected = (uint32_t)expected;
  return true;
}

/* futexWait(view, index, expected, timeoutMs?) -> 'ok' | 'not-equal' | 'timed-out' */
napi_value shmkit_futex_wait(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 4);
  wait_args a;
  if (!parse_wait_args(env, argv, argc, "futexWait(view, index, expected, timeoutMs?) takes 3 or 4 arguments", &a))
    return NULL;
  struct timespec ts = {.tv_sec = a.timeout_ns / 1000000000LL, .tv_nsec = a.timeout_ns % 1000000000LL};
  long r = syscall(SYS_futex, a.addr, FUTEX_WAIT, a.expected, a.has_timeout ? &ts : NULL, NULL, 0);
  if (r == 0) return string_result(env, "ok");
  switch (errno) {
    case EAGAIN:
      return string_result(env, "not-equal");
    case ETIMEDOUT:
      return string_result(env, "timed-out");
    case EINTR:
      return string_result(env, "ok");
    default:
      return shmkit_throw_sys(env, "futex", errno);
  }
}

/* futexWake(view, index, count) -> number of waiters woken */
napi_value shmkit_futex_wake(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 3);
  if (argc < 3) return shmkit_throw_type(env, "futexWake(view, index, count) takes 3 arguments");
  uint32_t *addr;
  napi_value ab;
  if (!shmkit_arg_futex_word(env, argv[0], argv[1], &addr, &ab)) return NULL;
  double count_d;
  if (napi_get_value_double(env, argv[2], &count_d) != napi_ok) return shmkit_throw_type(env, "count must be a number");
  if (!(count_d >= 0)) return shmkit_throw_range(env, "count must not be negative");
  int count = count_d >= INT_MAX ? INT_MAX : (int)count_d;
  long r = syscall(SYS_futex, addr, FUTEX_WAKE, count, NULL, NULL, 0);
  if (r < 0) return shmkit_throw_sys(env, "futex", errno);
  napi_value v;
  NAPI_TRY(env, napi_create_int32(env, (int32_t)r, &v));
  return v;
}

/* Fallback for kernels without futex_waitv (< 5.16): short slices so cancel() is noticed. */
static void wait_in_slices(shmkit_async_wait *w) {
  const int64_t slice = 2000000; /* 2 ms */
  for (bool first = true;; first = false) {
    if (shmkit_wait_cancelled(w)) {
      w->result = "cancelled";
      return;
    }
    int64_t step = slice;
    if (w->has_deadline) {
      int64_t left = w->deadline_ns - shmkit_now_ns();
      if (left <= 0) {
        w->result = "timed-out";
        return;
      }
      if (left < step) step = left;
    }
    struct timespec ts = {.tv_sec = step / 1000000000LL, .tv_nsec = step % 1000000000LL};
    long r = syscall(SYS_futex, w->futex_addr, FUTEX_WAIT, w->futex_expected, &ts, NULL, 0);
    if (r == 0 || (r < 0 && errno == EINTR)) {
      w->result = "ok";
      return;
    }
    if (errno == EAGAIN) {
      /* After the first slice a changed word means someone moved on: report a wake. */
      w->result = first ? "not-equal" : "ok";
      return;
    }
    if (errno != ETIMEDOUT) {
      w->error = errno;
      return;
    }
  }
}

static void futex_wait_thread(shmkit_async_wait *w) {
  /* When both words are woken at once the kernel reports the highest index, so the user's word
     comes last: a wake that raced with cancel() is reported as 'ok' and never lost (a waker that
     woke exactly one waiter relies on that waiter acting on it). */
  struct shmkit_futex_waitv waiters[2] = {
      {.val = 0, .uaddr = (uintptr_t)&w->cancel_word, .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG},
      {.val = w->futex_expected, .uaddr = (uintptr_t)w->futex_addr, .flags = FUTEX_32},
  };
  struct timespec deadline = {.tv_sec = w->deadline_ns / 1000000000LL, .tv_nsec = w->deadline_ns % 1000000000LL};
  for (;;) {
    long r = syscall(SYS_futex_waitv, waiters, 2, 0, w->has_deadline ? &deadline : NULL, CLOCK_MONOTONIC);
    if (r == 1) {
      w->result = "ok";
      return;
    }
    if (r == 0) {
      w->result = "cancelled";
      return;
    }
    switch (errno) {
      case EAGAIN:
        w->result = shmkit_wait_cancelled(w) ? "cancelled" : "not-equal";
        return;
      case ETIMEDOUT:
        w->result = "timed-out";
        return;
      case EINTR:
        if (shmkit_wait_cancelled(w)) {
          w->result = "cancelled";
          return;
        }
        w->result = "ok";
        return;
      case ENOSYS:
        wait_in_slices(w);
        return;
      default:
        w->error = errno;
        return;
    }
  }
}

/* futexWaitAsync(view, index, expected, timeoutMs?) -> [promise, handle] */
napi_value shmkit_futex_wait_async(napi_env env, napi_callback_info info) {
  NAPI_ARGS(env, info, 4);
  wait_args a;
  if (!parse_wait_args(env, argv, argc, "futexWaitAsync(view, index, expected, timeoutMs?) takes 3 or 4 arguments", &a))
    return NULL;
  shmkit_async_wait *w = shmkit_wait_new();
  if (w == NULL) return shmkit_throw_sys(env, "calloc", ENOMEM);
  w->run = futex_wait_thread;
  w->syscall_name = "futex_waitv";
  w->futex_addr = a.addr;
  w->futex_expected = a.expected;
  w->has_deadline = a.has_timeout;
  w->deadline_ns = a.has_timeout ? shmkit_now_ns() + a.timeout_ns : 0;
  /* The ArrayBuffer stays referenced while the thread waits on an address inside it. */
  return shmkit_wait_start(env, w, a.arraybuffer, "shmkit.futexWaitAsync");
}
