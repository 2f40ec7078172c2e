/*
 * Shared declarations of the @shmkit/sys addon: argument helpers, SysError construction, the
 * registry of mappings handed to JavaScript as external ArrayBuffers, and the dedicated-thread
 * machinery behind the async waits. Everything here is Linux-only and policy-free.
 */
#ifndef SHMKIT_SYS_COMMON_H
#define SHMKIT_SYS_COMMON_H

#include <node_api.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The largest ArrayBuffer Node 20 can create (buffer.constants.MAX_LENGTH). */
#define SHMKIT_MAX_ARRAYBUFFER ((uint64_t)1 << 32)

/* Returns NULL from the enclosing napi callback when a napi call failed (an exception is pending). */
#define NAPI_TRY(env, call)                                                  \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      shmkit_throw_last_napi_error(env, #call);                              \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

#define NAPI_ARGS(env, info, n)                                              \
  size_t argc = (n);                                                         \
  napi_value argv[(n) > 0 ? (n) : 1];                                        \
  NAPI_TRY(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL))

/* ---- errors.c ---- */
const char *shmkit_errno_name(int err);
/* Throws a SysError (errno, code, syscall); returns NULL for convenient `return`. */
napi_value shmkit_throw_sys(napi_env env, const char *syscall_name, int err);
napi_value shmkit_throw_type(napi_env env, const char *message);
napi_value shmkit_throw_range(napi_env env, const char *message);
void shmkit_throw_last_napi_error(napi_env env, const char *what);
/* Builds a SysError object without throwing it (for promise rejections). */
napi_value shmkit_make_sys_error(napi_env env, const char *syscall_name, int err);
napi_value shmkit_set_error_class(napi_env env, napi_callback_info info);

/* ---- argument and result helpers (errors.c) ---- */
bool shmkit_set_number(napi_env env, napi_value obj, const char *name, double value);
bool shmkit_arg_int32(napi_env env, napi_value v, const char *name, int32_t *out);
bool shmkit_arg_int64(napi_env env, napi_value v, const char *name, int64_t *out);
bool shmkit_arg_bool(napi_env env, napi_value v, const char *name, bool *out);
/* Timeout in ms: undefined, Infinity, NaN or negative mean "no timeout" (returns false in *has_timeout). */
bool shmkit_arg_timeout(napi_env env, napi_value v, bool *has_timeout, int64_t *timeout_ns);
/* An Int32Array plus an index inside it: the address of that 32-bit word. */
bool shmkit_arg_futex_word(napi_env env, napi_value view, napi_value index, uint32_t **addr, napi_value *arraybuffer);

/* ---- mapping.c: memory handed to JS as an external ArrayBuffer ---- */
typedef enum { SHMKIT_MAP_MMAP = 1, SHMKIT_MAP_SHM = 2 } shmkit_map_kind;
/* Wraps addr as an ArrayBuffer of `length` bytes; `map_length` is what munmap needs. On failure the
   memory is released and an exception is pending (returns NULL). */
napi_value shmkit_mapping_wrap(napi_env env, void *addr, size_t length, size_t map_length, shmkit_map_kind kind,
                               const char *what);
/* Detaches the ArrayBuffer, then releases the memory. Returns 1 when released, 0 when it was already
   detached, -1 with an exception pending. */
int shmkit_mapping_release(napi_env env, napi_value arraybuffer, shmkit_map_kind kind, const char *syscall_name);
/* Resolves an ArrayBuffer + [offset, offset+length) range to an address, with bounds checks. */
bool shmkit_arg_range(napi_env env, napi_value arraybuffer, napi_value offset, napi_value length, char **addr,
                      size_t *len);

/* ---- async_wait.c: one dedicated thread per wait, result through a threadsafe function ---- */
typedef struct shmkit_async_wait shmkit_async_wait;
typedef void (*shmkit_wait_fn)(shmkit_async_wait *w);
struct shmkit_async_wait {
  /* A private futex word: 0 while running, 1 once cancel() was called (or the env is torn down). */
  uint32_t cancel_word;
  shmkit_wait_fn run;
  const char *syscall_name;
  /* Outcome written by the thread before it hands the wait back to the JS thread. */
  const char *result;
  int error;
  /* Parameters (only the fields of one kind are used). */
  uint32_t *futex_addr;
  uint32_t futex_expected;
  int fd;
  bool lock_ofd;
  short lock_type;
  int64_t lock_start, lock_len;
  bool has_deadline;
  int64_t deadline_ns; /* CLOCK_MONOTONIC */
  /* Blocking lock waits (lock_interrupt.c): a POSIX timer that signals the waiting thread. The lock
     guards the timer's existence against cancel() arming it while the thread deletes it. */
  pthread_mutex_t interrupt_lock;
  bool interrupt_armed;
  timer_t interrupt_timer;
  /* JS-thread state. */
  napi_threadsafe_function tsfn;
  napi_deferred deferred;
  napi_ref keep_alive;
  pthread_t thread;
  bool thread_started;
  bool settled;
  bool finished;
  int refs;
};
shmkit_async_wait *shmkit_wait_new(void);
/* Starts the thread; returns [promise, handle] (handle is passed to cancelWait). On failure frees w,
   returns NULL with an exception pending. `keep` (may be NULL) is referenced while the wait is pending. */
napi_value shmkit_wait_start(napi_env env, shmkit_async_wait *w, napi_value keep, const char *name);
napi_value shmkit_cancel_wait(napi_env env, napi_callback_info info);
bool shmkit_wait_cancelled(shmkit_async_wait *w);
/* Sleeps up to ns, returning early when the wait is cancelled (w may be NULL: plain sleep). */
void shmkit_wait_pause(shmkit_async_wait *w, int64_t ns);
int64_t shmkit_now_ns(void);

/* ---- lock_interrupt.c: waking a thread blocked in F_SETLKW / F_OFD_SETLKW ---- */
/* The real-time signal that interrupts blocked lock waits (SIGRTMIN + 6). */
int shmkit_interrupt_signal(void);
/* In the waiting thread, before blocking: installs the signal handler (once per process), creates
   the wait's timer (armed for the deadline, if any) and unblocks the signal in this thread. Returns
   false when blocking waits are unavailable (another handler owns the signal, no timer could be
   created); the caller then polls. */
bool shmkit_interrupt_begin(shmkit_async_wait *w);
/* In the waiting thread, when done: deletes the timer and blocks the signal again. */
void shmkit_interrupt_end(shmkit_async_wait *w);
/* From any thread, after setting the cancel word: makes the timer fire now and every millisecond
   until the waiting thread calls shmkit_interrupt_end (no-op when it has no timer). */
void shmkit_interrupt_kick(shmkit_async_wait *w);

/* ---- futex.c / fcntl.c / mmap.c / sysv.c ---- */
napi_value shmkit_futex_wait(napi_env env, napi_callback_info info);
napi_value shmkit_futex_wake(napi_env env, napi_callback_info info);
napi_value shmkit_futex_wait_async(napi_env env, napi_callback_info info);
napi_value shmkit_fcntl_lock(napi_env env, napi_callback_info info);
napi_value shmkit_fcntl_get_lock(napi_env env, napi_callback_info info);
napi_value shmkit_fcntl_lock_async(napi_env env, napi_callback_info info);
napi_value shmkit_mmap(napi_env env, napi_callback_info info);
napi_value shmkit_munmap(napi_env env, napi_callback_info info);
napi_value shmkit_msync(napi_env env, napi_callback_info info);
napi_value shmkit_madvise(napi_env env, napi_callback_info info);
napi_value shmkit_shmget(napi_env env, napi_callback_info info);
napi_value shmkit_shmat(napi_env env, napi_callback_info info);
napi_value shmkit_shmdt(napi_env env, napi_callback_info info);
napi_value shmkit_shmctl_stat(napi_env env, napi_callback_info info);
napi_value shmkit_shmctl_set(napi_env env, napi_callback_info info);
napi_value shmkit_shmctl_remove(napi_env env, napi_callback_info info);
napi_value shmkit_ftok(napi_env env, napi_callback_info info);

#endif
